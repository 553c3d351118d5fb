package org.schoolgate.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Upstream answers by name, type and class (and whether the asker wanted EDNS, DNSSEC records or
 * no checking, which change the answer), each kept for its own TTL and at most a day (SPEC 14),
 * {@code dns.cache} of them at most. A hit is a copy with the asker's ID and question and every
 * TTL counted down by the time it has spent here. Time comes from the injected clock.
 *
 * <p>The hot path allocates next to nothing: entries are found by the question's name bytes
 * ({@link Key}, compared ignoring ASCII case as DNS names are), a hit carries its name as text for
 * the policy, and its answer is copied straight into the buffer that is sent ({@link #write}).
 * Caffeine's upkeep stays on its default executor: run on the event loop instead
 * ({@code executor(Runnable::run)}), the guard answered a fifth as many cached queries a second,
 * its loop idle (docs/performance.md, session 6).
 */
final class DnsCache {
  static final long MAX_SECONDS = 86_400;

  /** The stored answer (ECH already stripped), its name, where its TTLs are, and when it was stored. */
  static final class Entry {
    private final byte[] message;
    private final String name;
    private final int[] ttlOffsets;
    private final long storedMillis;
    private final long seconds;

    private Entry(byte[] message, String name, int[] ttlOffsets, long storedMillis, long seconds) {
      this.message = message;
      this.name = name;
      this.ttlOffsets = ttlOffsets;
      this.storedMillis = storedMillis;
      this.seconds = seconds;
    }

    /** The question's name, as {@link Query#name} writes it. */
    String name() {
      return name;
    }

    /** The answer's length in bytes. */
    int length() {
      return message.length;
    }
  }

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
            return TimeUnit.SECONDS.toNanos(e.seconds);
          }

          @Override
          public long expireAfterUpdate(Key key, Entry e, long now, long current) {
            return TimeUnit.SECONDS.toNanos(e.seconds);
          }

          @Override
          public long expireAfterRead(Key key, Entry e, long now, long current) {
            return current;
          }
        })
        .build();
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
    cache.put(Key.of(q).copy(), new Entry(answer, q.name(), java.util.Arrays.copyOf(ttls, n), clock.millis(), seconds));
  }

  /** The entry for {@code q} while its TTL lasts, else null. */
  Entry lookup(Query q) {
    Entry e = cache.getIfPresent(Key.of(q));
    return e == null || elapsed(e) >= e.seconds ? null : e;
  }

  private long elapsed(Entry e) {
    return (clock.millis() - e.storedMillis) / 1000;
  }

  /**
   * Writes {@code e} as the answer to {@code q} at {@code out}'s writer index: the asker's ID, RD
   * and CD bits and spelling of the question, every TTL counted down by the entry's age.
   */
  void write(Entry e, Query q, ByteBuf out) {
    long elapsed = Math.min(elapsed(e), e.seconds);
    int base = out.writerIndex();
    out.writeBytes(e.message);
    out.setShort(base, q.id());
    int asked = q.flags() & (Wire.RD | Wire.CD);
    out.setShort(base + 2, Wire.flags(e.message) & ~(Wire.RD | Wire.CD) | asked);
    out.setBytes(base + Wire.HEADER, q.bytes(), Wire.HEADER, q.questionEnd() - Wire.HEADER); // the asker's spelling
    for (int off : e.ttlOffsets) {
      out.setInt(base + off, (int) Math.max(0, (out.getUnsignedInt(base + off) & 0x7fffffffL) - elapsed));
    }
  }

  /** The answer for {@code q}, ready to send, or null. */
  byte[] get(Query q) {
    Entry e = lookup(q);
    return e == null ? null : copy(e, q);
  }

  /** Entry {@code e} (found for {@code q}) as an answer to {@code q}, ready to send. */
  byte[] copy(Entry e, Query q) {
    byte[] m = new byte[e.message.length];
    write(e, q, Unpooled.wrappedBuffer(m).clear());
    return m;
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /**
   * Name (its wire bytes, ASCII case ignored), type, class and cache bits. A lookup's key points
   * into the query's packet; a stored key has its own copy of the name.
   */
  static final class Key {
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int type;
    private final int dnsClass;
    private final int bits;
    private final int hash;

    private Key(byte[] bytes, int offset, int length, int type, int dnsClass, int bits) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.type = type;
      this.dnsClass = dnsClass;
      this.bits = bits;
      int h = (type * 31 + dnsClass) * 31 + bits;
      for (int i = offset; i < offset + length; i++) {
        h = h * 31 + lower(bytes[i]);
      }
      this.hash = h;
    }

    static Key of(Query q) {
      return new Key(q.bytes(), Wire.HEADER, q.nameEnd() - Wire.HEADER, q.type(), q.dnsClass(), q.cacheBits());
    }

    Key copy() {
      byte[] own = new byte[length];
      for (int i = 0; i < length; i++) {
        own[i] = (byte) lower(bytes[offset + i]);
      }
      return new Key(own, 0, length, type, dnsClass, bits);
    }

    /** DNS names compare ignoring ASCII case only (RFC 4343); a length byte (at most 63) is never a letter. */
    private static int lower(byte b) {
      return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || k.hash != hash || k.length != length || k.type != type || k.dnsClass != dnsClass
          || k.bits != bits) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (lower(bytes[offset + i]) != lower(k.bytes[k.offset + i])) {
          return false;
        }
      }
      return true;
    }
  }
}
