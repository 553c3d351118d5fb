package org.schoolgate.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Upstream answers by name, type and class (and whether the asker wanted EDNS, DNSSEC records or
 * no checking, which change the answer), each kept for its own TTL and at most a day (SPEC 14),
 * {@code dns.cache} of them at most. A hit is a copy with the asker's ID and question and every
 * TTL counted down by the time it has spent here. Time comes from the injected clock.
 */
final class DnsCache {
  static final long MAX_SECONDS = 86_400;

  record Key(String name, int type, int dnsClass, int bits) {}

  /** The stored answer (ECH already stripped), where its TTLs are, and when it was stored. */
  private record Entry(byte[] message, int[] ttlOffsets, long storedMillis, long seconds) {}

  private final Clock clock;
  private final Cache<Key, Entry> cache;

  DnsCache(int size, Clock clock) {
    this.clock = clock;
    this.cache = Caffeine.newBuilder()
        .maximumSize(size)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .expireAfter(new Expiry<Key, Entry>() {
          @Override
          public long expireAfterCreate(Key key, Entry e, long now) {
            return TimeUnit.SECONDS.toNanos(e.seconds());
          }

          @Override
          public long expireAfterUpdate(Key key, Entry e, long now, long current) {
            return TimeUnit.SECONDS.toNanos(e.seconds());
          }

          @Override
          public long expireAfterRead(Key key, Entry e, long now, long current) {
            return current;
          }
        })
        .build();
  }

  static Key key(Query q) {
    return new Key(q.name(), q.type(), q.dnsClass(), q.cacheBits());
  }

  /** Keeps a good answer (NOERROR or NXDOMAIN, not truncated) for its TTL; others are not kept. */
  void put(Query q, byte[] answer, Records r) {
    int rcode = Wire.flags(answer) & 0xf;
    if ((rcode != Wire.NOERROR && rcode != Wire.NXDOMAIN) || (Wire.flags(answer) & Wire.TC) != 0) {
      return;
    }
    long seconds = Math.min(MAX_SECONDS, r.cacheSeconds(answer));
    if (seconds <= 0) {
      return;
    }
    int n = 0;
    int[] ttls = new int[r.count];
    for (int i = 0; i < r.count; i++) {
      if (r.type(i) != Wire.OPT) {
        ttls[n++] = r.ttlOffset(i);
      }
    }
    cache.put(key(q), new Entry(answer, java.util.Arrays.copyOf(ttls, n), clock.millis(), seconds));
  }

  /** The answer for {@code q}, ready to send, or null. */
  byte[] get(Query q) {
    Entry e = cache.getIfPresent(key(q));
    if (e == null) {
      return null;
    }
    long elapsed = (clock.millis() - e.storedMillis()) / 1000;
    if (elapsed >= e.seconds()) {
      return null;
    }
    byte[] m = e.message().clone();
    Wire.put16(m, 0, q.id());
    int asked = q.flags() & (Wire.RD | Wire.CD);
    Wire.put16(m, 2, Wire.flags(m) & ~(Wire.RD | Wire.CD) | asked);
    System.arraycopy(q.bytes(), Wire.HEADER, m, Wire.HEADER, q.questionEnd() - Wire.HEADER); // the asker's spelling
    for (int off : e.ttlOffsets()) {
      Wire.put32(m, off, Math.max(0, (Wire.u32(m, off) & 0x7fffffffL) - elapsed));
    }
    return m;
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
