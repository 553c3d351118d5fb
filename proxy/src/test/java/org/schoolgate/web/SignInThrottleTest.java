package org.schoolgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.testing.FakeClock;

/** Sign-in throttling per account and address, and per address, on a clock the test moves. */
class SignInThrottleTest {
  private static final InetAddress SHARED = address("10.20.1.1");
  private static final InetAddress DESK = address("10.20.1.2");

  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:00:00Z")); // a Monday morning
  private final SignInThrottle throttle = new SignInThrottle(clock);

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void fail(String account, InetAddress from, int times) {
    for (int i = 0; i < times; i++) {
      throttle.failed(account, from);
    }
  }

  @ParameterizedTest(name = "after {0} failures: {1}")
  @CsvSource({"5, PT1S", "6, PT2S", "7, PT4S", "14, PT8M32S", "15, PT15M", "16, PT15M", "1000, PT15M"})
  void theBackOffStartsAtOneSecondAndDoublesUpToFifteenMinutes(int failures, String backOff) {
    assertEquals(Duration.parse(backOff), SignInThrottle.backOff(failures));
  }

  @Test
  void fourFailuresAreFreeAndTheFifthRefusesThatAccountFromThatAddressForASecond() {
    fail("head", SHARED, 4);
    assertNull(throttle.check("head", SHARED));
    throttle.failed("head", SHARED);
    SignInThrottle.Refusal r = throttle.check("head", SHARED);
    assertNotNull(r);
    assertEquals(Duration.ofSeconds(1), r.retryAfter());
    assertFalse(r.wholeAddress());
    clock.advance(Duration.ofMillis(999));
    assertNotNull(throttle.check("head", SHARED));
    clock.advance(Duration.ofMillis(1));
    assertNull(throttle.check("head", SHARED), "free to try again once the back-off has passed");
    throttle.failed("head", SHARED);
    assertEquals(Duration.ofSeconds(2), throttle.check("head", SHARED).retryAfter(), "and the next failure doubles it");
  }

  @Test
  void aLockedPairLeavesOtherAccountsAndOtherAddressesAlone() {
    fail("head", SHARED, 12);
    assertNotNull(throttle.check("head", SHARED));
    assertNull(throttle.check("head", DESK), "the head from her own desk");
    assertNull(throttle.check("netmgr", SHARED), "a colleague from the shared address");
  }

  @Test
  void aGoodSignInStartsTheCountAgain() {
    fail("head", SHARED, 4);
    throttle.succeeded("head", SHARED);
    fail("head", SHARED, 4);
    assertNull(throttle.check("head", SHARED));
  }

  @Test
  void failuresADayOldAreForgotten() {
    fail("head", SHARED, 14);
    clock.advance(Duration.ofHours(24));
    fail("head", SHARED, 4);
    assertNull(throttle.check("head", SHARED));
  }

  @Test
  void oneAddressSprayingManyAccountsIsStoppedAtAHundredFailures() {
    for (int i = 0; i < 99; i++) {
      throttle.failed("user" + i, SHARED);
    }
    assertNull(throttle.check("head", SHARED), "99 failures across accounts: still below the ceiling");
    throttle.failed("user99", SHARED);
    SignInThrottle.Refusal r = throttle.check("head", SHARED);
    assertNotNull(r, "the hundredth failure closes the address to every account");
    assertTrue(r.wholeAddress());
    assertEquals(Duration.ofSeconds(6), r.retryAfter(), "until one failure has drained (100 per 10 minutes)");
    assertNull(throttle.check("head", DESK), "other addresses are unaffected");
    clock.advance(Duration.ofSeconds(6));
    assertNull(throttle.check("head", SHARED));
  }

  @Test
  void theAddressCeilingIsARateNotAWindowWhoseEdgeCanBeGamed() {
    for (int i = 0; i < 600; i++) { // an hour at one failure every 6 s: the ceiling's own rate
      assertNull(throttle.check("user" + i, SHARED), "failure " + i);
      throttle.failed("user" + i, SHARED);
      clock.advance(Duration.ofSeconds(6));
    }
    int tried = 0;
    while (throttle.check("user" + tried, SHARED) == null) { // then as fast as possible
      throttle.failed("user" + tried++, SHARED);
    }
    assertEquals(100, tried, "a burst gets the bucket's 100, not two windows' worth");
  }
}
