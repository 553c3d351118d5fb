package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Twenty handshakes a second per address, on a clock the test moves. */
class HandshakeBudgetTest {
  private Instant now = Instant.parse("2026-11-23T11:00:00Z");
  private final HandshakeBudget budget = new HandshakeBudget(() -> now);

  private int taken(InetAddress a, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += budget.take(a) ? 1 : 0;
    }
    return n;
  }

  @Test
  void twentyInOneInstantThenOneEveryFiftyMillisecondsPerAddress() throws Exception {
    InetAddress a = InetAddress.getByName("10.10.1.1");
    assertTrue(taken(a, 25) == 20);
    assertTrue(budget.take(InetAddress.getByName("10.10.1.2")), "another device has its own budget");
    now = now.plus(Duration.ofMillis(49));
    assertFalse(budget.take(a));
    now = now.plus(Duration.ofMillis(1));
    assertTrue(budget.take(a));
    assertFalse(budget.take(a));
    now = now.plus(Duration.ofSeconds(5));
    assertTrue(taken(a, 25) == 20, "an idle second fills the bucket, never past twenty");
  }

  @Test
  void aClockThatStepsBackEmptiesABucketForASecondAtMost() throws Exception {
    InetAddress a = InetAddress.getByName("10.10.1.3");
    assertTrue(budget.take(a));
    now = now.minus(Duration.ofHours(1));
    assertFalse(budget.take(a));
    now = now.plus(Duration.ofSeconds(1));
    assertTrue(budget.take(a));
  }
}
