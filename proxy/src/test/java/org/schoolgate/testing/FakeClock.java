package org.schoolgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A clock tests set and move (never the wall clock): the proxy reads it for every decision, so no
 * test waits for time to pass. The one fake clock of both modules (the end-to-end tests use it
 * from this module's test-jar).
 */
public final class FakeClock extends Clock {
  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  private volatile Instant now;

  public FakeClock(Instant start) {
    this.now = start;
  }

  /** A London wall-clock time, e.g. {@code london("2026-11-23T11:00")} (a Monday). */
  public static Instant london(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(LONDON).toInstant();
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void setLondon(String localDateTime) {
    now = london(localDateTime);
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneId.of("UTC");
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the proxy uses instants only");
  }
}
