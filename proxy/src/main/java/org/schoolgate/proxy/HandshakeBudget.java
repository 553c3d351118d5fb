package org.schoolgate.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * At most {@value #PER_SECOND} block-page handshakes a second per client address (SPEC section 9),
 * and an overall budget across every managed address (issue 21): at most
 * {@code tls_block_page.handshakes_per_second} (default {@value #ALL_PER_SECOND}) a second in all (a bucket of that many, refilled the same way) and {@value #MAX_IN_FLIGHT} at
 * once (admitted, and not yet through their handshake or closed). Past either, a blocked connection
 * is closed as before, without a page, so that a flood from many addresses never takes the event
 * loops' time from everyone else's relaying. Per address:
 * a token bucket of {@value #PER_SECOND}, refilled continuously, kept as the instant it will be
 * full again (the "theoretical arrival time" of GCRA, as the admin sign-in throttle keeps its
 * bucket). A device that goes past it has its blocked connections closed as before. Time comes
 * from the injected clock, so tests spend a bucket without waiting; after the clock steps back
 * a bucket is empty for at most a second. Shared by every event loop: one short compute per blocked connection.
 */
final class HandshakeBudget {
  static final int PER_SECOND = 20;
  /** Block-page handshakes a second across all managed addresses, by default. */
  public static final int ALL_PER_SECOND = 100;
  /** Block-page handshakes under way at once, across all managed addresses. */
  static final int MAX_IN_FLIGHT = 32;
  private static final Duration INTERVAL = Duration.ofSeconds(1).dividedBy(PER_SECOND);
  private static final Duration BURST = INTERVAL.multipliedBy(PER_SECOND);

  /** What {@link #take} decided. */
  enum Verdict { ADMITTED, OVER_RATE, OVER_BUDGET }

  /** The overall bucket: when it is full again, in nanoseconds of the clock's epoch. */
  private final java.util.concurrent.atomic.AtomicLong allFull = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  private final InstantSource clock;
  private final long allIntervalNanos;
  private final long allBurstNanos;
  /** Per address, when its bucket is full again; an address idle for a minute is forgotten (a full bucket). */
  private final Cache<InetAddress, Instant> full = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

  HandshakeBudget(InstantSource clock) {
    this(clock, ALL_PER_SECOND);
  }

  /** With {@code allPerSecond} handshakes a second across all managed addresses (1 to 100,000). */
  HandshakeBudget(InstantSource clock, int allPerSecond) {
    this.clock = clock;
    this.allIntervalNanos = 1_000_000_000L / allPerSecond;
    this.allBurstNanos = allIntervalNanos * allPerSecond;
  }

  /**
   * A handshake for {@code client}: its own token, then a place among those under way and a token
   * of the overall bucket. When admitted, the caller gives the place back with {@link #done} (once).
   */
  Verdict admit(InetAddress client) {
    Instant now = clock.instant(); // one reading for both buckets
    if (!take(client, now)) {
      return Verdict.OVER_RATE;
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      return Verdict.OVER_BUDGET;
    }
    if (!takeOverall(now)) {
      inFlight.decrementAndGet();
      return Verdict.OVER_BUDGET;
    }
    return Verdict.ADMITTED;
  }

  /** An admitted handshake is through, or its connection closed: its place is free. */
  void done() {
    inFlight.decrementAndGet();
  }

  /** Handshakes admitted and not yet done (the queue the metrics show). */
  int inFlight() {
    return inFlight.get();
  }

  private boolean takeOverall(Instant instant) {
    long now = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    while (true) {
      long at = allFull.get();
      long from = at < now ? now : Math.min(at, now + allBurstNanos);
      if (from > now + allBurstNanos - allIntervalNanos) {
        return false; // less than one token left
      }
      if (allFull.compareAndSet(at, from + allIntervalNanos)) {
        return true;
      }
    }
  }

  /** Takes a token for {@code client}: true when it had one. */
  boolean take(InetAddress client) {
    return take(client, clock.instant());
  }

  private boolean take(InetAddress client, Instant now) {
    boolean[] granted = {false};
    full.asMap().compute(client, (k, at) -> {
      Instant from = at == null || at.isBefore(now) ? now : at.isAfter(now.plus(BURST)) ? now.plus(BURST) : at;
      if (from.isAfter(now.plus(BURST).minus(INTERVAL))) {
        return from; // less than one token left: refused, nothing spent
      }
      granted[0] = true;
      return from.plus(INTERVAL);
    });
    return granted[0];
  }
}
