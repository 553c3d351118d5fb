package org.schoolgate.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;

/**
 * At most {@value #PER_SECOND} queries a second per client address (SPEC 14): a token bucket of
 * {@value #PER_SECOND}, refilled at {@value #PER_SECOND} a second, kept as the time it will be
 * full again (GCRA, as {@code proxy.HandshakeBudget} keeps its own). Time comes from the injected
 * clock, so a test spends a bucket without waiting. Shared by every event loop.
 */
final class QueryRate {
  static final int PER_SECOND = 200;
  private static final long INTERVAL_NANOS = 1_000_000_000L / PER_SECOND;
  private static final long BURST_NANOS = INTERVAL_NANOS * PER_SECOND;

  private final InstantSource clock;
  /** Per address, when its bucket is full again (nanoseconds of the clock); idle addresses are forgotten. */
  private final Cache<InetAddress, long[]> full = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

  QueryRate(InstantSource clock) {
    this.clock = clock;
  }

  /** Takes a token for {@code client}: true when it had one. */
  boolean take(InetAddress client) {
    java.time.Instant i = clock.instant();
    long now = i.getEpochSecond() * 1_000_000_000L + i.getNano();
    long[] at = full.get(client, k -> new long[] {now});
    synchronized (at) {
      long from = Math.min(Math.max(at[0], now), now + BURST_NANOS);
      if (from > now + BURST_NANOS - INTERVAL_NANOS) {
        return false; // less than one token left: refused, nothing spent
      }
      at[0] = from + INTERVAL_NANOS;
      return true;
    }
  }
}
