package org.schoolgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.schoolgate.admin.ApiError;
import org.schoolgate.testing.FakeClock;

/** Issue 21.7: failures for one account across addresses, and the one password derivation at a time. */
class AccountThrottleTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final SignInThrottle throttle = new SignInThrottle(clock);

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twentyFailuresFromStrangeAddressesHoldTheAccountEverywhereButWhereItSignedInBefore() {
    InetAddress desk = address("10.20.1.2");
    throttle.succeeded("head", desk);
    for (int i = 0; i < SignInThrottle.ACCOUNT_CEILING; i++) {
      InetAddress from = address("10.20.2." + i);
      assertNull(throttle.check("head", from), "failure " + (i + 1) + " is still tried");
      throttle.failed("head", from);
    }
    SignInThrottle.Refusal r = throttle.check("head", address("10.20.3.1"));
    assertNotNull(r, "the 21st guess from yet another address is refused");
    assertTrue(r.wholeAccount());
    assertEquals(Duration.ofSeconds(30), r.retryAfter(), "until one failure has drained");
    assertNull(throttle.check("head", desk), "the head's own desk is not held to it");
    assertNull(throttle.check("netmgr", address("10.20.3.1")), "nor is another account");
    clock.advance(Duration.ofSeconds(30));
    assertNull(throttle.check("head", address("10.20.3.1")), "one more guess once one has drained");
  }

  @Test
  void failuresFromAnAddressTheAccountUsesDoNotCountAcrossAddresses() {
    InetAddress desk = address("10.20.1.2");
    throttle.succeeded("head", desk);
    for (int i = 0; i < 4 * SignInThrottle.ACCOUNT_CEILING; i++) {
      throttle.failed("head", desk); // typos at her own desk: held by the per-address back-off only
      clock.advance(Duration.ofMinutes(16));
    }
    assertNull(throttle.check("head", address("10.20.3.1")));
  }

  @Test
  void aSecondDerivationWhileOneRunsIsRefusedAtOnceWith503() throws Exception {
    HashGate gate = new HashGate();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> gate.run(() -> {
      started.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }));
    started.await();
    ApiError busy = assertThrows(ApiError.class, () -> gate.run(() -> true));
    assertEquals(503, busy.status());
    assertTrue(busy.retryAfterSeconds() > 0 && busy.getMessage().endsWith("."), busy.getMessage());
    finish.countDown();
    assertTrue(first.join());
    assertTrue(gate.run(() -> true), "the slot is free again");
  }
}
