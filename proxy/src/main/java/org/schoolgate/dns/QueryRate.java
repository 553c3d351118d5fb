package org.schoolgate.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;

/**
 * At most {@code dns.queries_per_client} (200) queries a second per client address (SPEC 14): a
 * token bucket of that many, refilled at that many a second, kept as the time it will be
 * full again (GCRA, as {@code proxy.HandshakeBudget} keeps its own). Time comes from the injected
 * clock, so a test spends a bucket without waiting. Shared by every event loop.
 */
final class QueryRate {
  private final long intervalNanos;
  private final long burstNanos;

  private final InstantSource clock;
  /** Per address, when its bucket is full again (nanoseconds of the clock); idle addresses are forgotten. */
  private final Cache<InetAddress, long[]> full = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

  QueryRate(InstantSource clock, int perSecond) {
    this.clock = clock;
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.burstNanos = intervalNanos * perSecond;
  }

  /** Takes a token for {@code client}: true when it had one. */
  boolean take(InetAddress client) {
    java.time.Instant i = clock.instant();
    long now = i.getEpochSecond() * 1_000_000_000L + i.getNano();
    long[] at = full.get(client, k -> new long[] {now});
    synchronized (at) {
      long from = Math.min(Math.max(at[0], now), now + burstNanos);
      if (from > now + burstNanos - intervalNanos) {
        return false; // less than one token left: refused, nothing spent
      }
      at[0] = from + intervalNanos;
      return true;
    }
  }
}
