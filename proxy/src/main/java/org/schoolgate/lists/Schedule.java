package org.schoolgate.lists;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.schoolgate.values.TimeRange;

/**
 * When a subscription is fetched next: after a failure, 1 minute doubling to 6 hours whatever the
 * window; after a success, a random minute of the first daily window that starts later (the
 * jitter spreads schools' gateways across the window). A plan is kept until the success it
 * follows changes, so every look sees the same minute.
 */
final class Schedule {
  static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
  static final Duration MAX_BACKOFF = Duration.ofHours(6);

  private final TimeRange window;
  private final ZoneId zone;
  private final Random random;
  private final Map<String, Instant[]> planned = new ConcurrentHashMap<>();

  Schedule(TimeRange window, ZoneId zone, Random random) {
    this.window = window;
    this.zone = zone;
    this.random = random;
  }

  /** The next try after the {@code failures}-th failure in a row, made at {@code lastAttempt}. */
  static Instant backOff(Instant lastAttempt, int failures) {
    Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
    return lastAttempt.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
  }

  /** The planned daily fetch of {@code name} after its success at {@code after}. */
  Instant daily(String name, Instant after) {
    Instant[] p = planned.get(name);
    if (p != null && p[0].equals(after)) {
      return p[1];
    }
    LocalDate day = after.atZone(zone).toLocalDate();
    ZonedDateTime start = day.atTime(window.start()).atZone(zone);
    while (!start.toInstant().isAfter(after)) {
      day = day.plusDays(1);
      start = day.atTime(window.start()).atZone(zone);
    }
    int minutes = (int) Duration.between(window.start(), window.end()).toMinutes();
    Instant at = start.plusMinutes(random.nextInt(Math.max(minutes, 1))).toInstant();
    planned.put(name, new Instant[] {after, at});
    return at;
  }
}
