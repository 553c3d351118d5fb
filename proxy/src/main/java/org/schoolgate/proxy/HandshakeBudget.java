package org.schoolgate.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * At most {@value #PER_SECOND} block-page handshakes a second per client address (SPEC section 9):
 * a token bucket of {@value #PER_SECOND}, refilled continuously, kept as the instant it will be
 * full again (the "theoretical arrival time" of GCRA, as the admin sign-in throttle keeps its
 * bucket). A device that goes past it has its blocked connections closed as before. Time comes
 * from the injected clock, so tests spend a bucket without waiting; after the clock steps back
 * a bucket is empty for at most a second. Shared by every event loop: one short compute per blocked connection.
 */
final class HandshakeBudget {
  static final int PER_SECOND = 20;
  private static final Duration INTERVAL = Duration.ofSeconds(1).dividedBy(PER_SECOND);
  private static final Duration BURST = INTERVAL.multipliedBy(PER_SECOND);

  private final InstantSource clock;
  /** Per address, when its bucket is full again; an address idle for a minute is forgotten (a full bucket). */
  private final Cache<InetAddress, Instant> full = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

  HandshakeBudget(InstantSource clock) {
    this.clock = clock;
  }

  /** Takes a token for {@code client}: true when it had one. */
  boolean take(InetAddress client) {
    Instant now = clock.instant();
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
