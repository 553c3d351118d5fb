package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.log.Durable;
import org.schoolgate.testing.FakeClock;

class AttemptsTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T11:00:05Z"));
  private final Attempts attempts = new Attempts(clock, 4);
  private final List<String> outcomes = new ArrayList<>();

  private Durable refusal(String name) {
    return new Durable(Runnable::run, () -> outcomes.add(name + " refused"), () -> outcomes.add(name + " closed"));
  }

  @Test
  void oneDeviceHostAndKindIsOneAttemptAMinute() {
    assertFalse(attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").repeat());
    clock.advance(Duration.ofSeconds(54)); // 11:00:59
    assertTrue(attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").repeat());
    assertFalse(attempts.claim("127.0.10.2", "nordvpn.com", "circumvention-site").repeat(), "another device");
    assertFalse(attempts.claim("127.0.10.1", "hide.me", "circumvention-site").repeat(), "another host");
    assertFalse(attempts.claim("127.0.10.1", "nordvpn.com", "connect-port").repeat(), "another kind");
    clock.advance(Duration.ofSeconds(1)); // 11:01:00, the next minute (the block page reference's)
    assertFalse(attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").repeat(), "the next minute");
    assertTrue(attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").repeat());
    assertEquals(1, attempts.remembered(), "the table was replaced as the minute rolled");
  }

  @Test
  void aNullHostIsAHostLikeAnother() {
    assertFalse(attempts.claim("127.0.10.1", null, "no-sni").repeat());
    assertTrue(attempts.claim("127.0.10.1", null, "no-sni").repeat());
  }

  @Test
  void repeatsAreRefusedOnlyOnceTheFirstIsDurable() {
    Attempts.Attempt first = attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site");
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").after(refusal("second"));
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").after(refusal("third"));
    assertEquals(List.of(), outcomes, "nothing is refused before the first's event is written");
    first.settle(true);
    assertEquals(List.of("third refused", "second refused"), outcomes);
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").after(refusal("fourth"));
    assertEquals("fourth refused", outcomes.get(2), "after it is settled, at once");
  }

  @Test
  void whenTheFirstCouldNotBeWrittenItsRepeatsAreClosed() {
    Attempts.Attempt first = attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site");
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").after(refusal("second"));
    first.settle(false);
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").after(refusal("third"));
    assertEquals(List.of("second closed", "third closed"), outcomes);
  }

  @Test
  void pastTheBoundEveryConnectionCountsUntilTheMinuteRolls() {
    for (int i = 0; i < 4; i++) {
      assertFalse(attempts.claim("127.0.10." + i, "nordvpn.com", "circumvention-site").repeat());
    }
    assertEquals(4, attempts.remembered());
    assertFalse(attempts.claim("127.0.10.9", "nordvpn.com", "circumvention-site").repeat());
    assertFalse(attempts.claim("127.0.10.9", "nordvpn.com", "circumvention-site").repeat(), "not remembered: counted");
    assertTrue(attempts.claim("127.0.10.0", "nordvpn.com", "circumvention-site").repeat(), "those remembered still fold");
    assertEquals(4, attempts.remembered(), "never more than the bound");
    clock.advance(Duration.ofMinutes(1));
    assertFalse(attempts.claim("127.0.10.9", "nordvpn.com", "circumvention-site").repeat());
    assertTrue(attempts.claim("127.0.10.9", "nordvpn.com", "circumvention-site").repeat());
  }

  @Test
  void aClockSetBackStartsAFreshMinute() {
    attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site");
    clock.advance(Duration.ofMinutes(-5));
    assertFalse(attempts.claim("127.0.10.1", "nordvpn.com", "circumvention-site").repeat());
  }
}
