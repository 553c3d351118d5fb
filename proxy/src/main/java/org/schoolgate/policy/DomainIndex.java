package org.schoolgate.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.IntBinaryOperator;
import java.util.function.LongToIntFunction;

/**
 * An immutable set of domains, each with a 16-bit payload, in about 8 bytes a domain: one
 * {@code long} per domain, sorted, holding 48 bits of the domain's 64-bit hash above the
 * payload, and a directory of at most 2^16 {@code int} offsets (256 KiB, small enough to stay
 * in cache) indexed by the hash's top bits, about 64-128 domains a bucket. Hashes are uniform,
 * so a lookup starts where its hash would sit inside the bucket (interpolation) and walks a few
 * entries towards it; it allocates nothing. The open-addressing table this replaced took 20
 * bytes a domain.
 *
 * <p>A lookup compares 58 bits of the hash (the top bits by the bucket it lands in, 48 more in
 * the entry). A false match needs an unlisted domain whose hash agrees with a listed one on
 * those 58 bits: about one in 5 * 10^10 lookups against a 5-million-entry list. That is
 * accepted for the memory it saves; a real match is always found.
 */
public final class DomainIndex {
  public static final DomainIndex EMPTY = new Builder().build();

  /** Payload bits at the bottom of each entry; the rest is hash. */
  private static final long PAYLOAD = 0xFFFF;
  private static final long KEY = ~PAYLOAD;
  /** A build entry keeps a tag (0..63) in its low bits; those hash bits are not compared. */
  private static final int TAG_BITS = 6;
  /** A build entry shifted left by this puts hash bits 6..53 over the 16 payload bits. */
  private static final int TO_ENTRY = 16 - TAG_BITS;

  private final long[] entries;
  private final int[] directory;
  private final int bits;
  private final int shift;
  /** Entries are in hash order inside a bucket only when the bucket fixes the 10 hash bits above those stored. */
  private final boolean interpolate;
  private final int size;

  private DomainIndex(long[] entries, int[] directory, int bits, int size) {
    this.entries = entries;
    this.directory = directory;
    this.bits = bits;
    this.shift = 64 - bits;
    this.interpolate = bits >= 10;
    this.size = size;
  }

  /** The domains (normalised), each with payload 0. */
  static DomainIndex of(Collection<String> domains) {
    Builder b = new Builder().expect(domains.size());
    for (String d : domains) {
      b.add(d, 0);
    }
    return b.build();
  }

  public int size() {
    return size;
  }

  /** Payload for the domain with this hash, or -1. */
  int get(long hash) {
    int bucket = (int) (hash >>> shift);
    int lo = directory[bucket];
    int hi = directory[bucket + 1];
    long want = (hash << TO_ENTRY) & KEY;
    long[] e = entries;
    if (hi - lo <= 8 || !interpolate) {
      for (int i = lo; i < hi; i++) {
        if ((e[i] & KEY) == want) {
          return (int) (e[i] & PAYLOAD);
        }
      }
      return -1;
    }
    // the bucket's hashes are uniform and sorted: start where this one would sit, then walk
    // towards it (a few entries, in the same or the next cache line)
    int i = lo + (int) ((((hash << bits) >>> 32) * (hi - lo)) >>> 32);
    long wantOrder = want ^ Long.MIN_VALUE; // unsigned order as signed
    long k = e[i] & KEY;
    if (k == want) {
      return (int) (e[i] & PAYLOAD);
    }
    if ((k ^ Long.MIN_VALUE) < wantOrder) {
      for (i++; i < hi; i++) {
        k = e[i] & KEY;
        if ((k ^ Long.MIN_VALUE) >= wantOrder) {
          return k == want ? (int) (e[i] & PAYLOAD) : -1;
        }
      }
    } else {
      for (i--; i >= lo; i--) {
        k = e[i] & KEY;
        if ((k ^ Long.MIN_VALUE) <= wantOrder) {
          return k == want ? (int) (e[i] & PAYLOAD) : -1;
        }
      }
    }
    return -1;
  }

  public int get(String domain) {
    return get(DomainHash.of(domain));
  }

  public boolean contains(String domain) {
    return get(domain) >= 0;
  }

  /** Heap bytes held by the two arrays, for the performance report (JOL adds a few dozen bytes of headers). */
  public long footprintBytes() {
    return (long) entries.length * 8 + (long) directory.length * 4;
  }

  /**
   * Collects domains, each with a tag 0..63, in one {@code long} each (hash and tag), so that
   * five million domains cost 40 MiB while they are gathered and nothing else. {@link #build}
   * sorts them in place and gives a domain added several times one payload computed from the
   * set of its tags. A builder builds once: afterwards it is empty again.
   */
  public static final class Builder {
    private long[] keys = new long[16];
    private int count;

    public Builder add(String domain, int tag) {
      return add(DomainHash.of(domain), tag);
    }

    Builder add(long hash, int tag) {
      if (tag < 0 || tag > 63) {
        throw new IllegalArgumentException("tag out of range 0..63: " + tag);
      }
      if (count == keys.length) {
        keys = Arrays.copyOf(keys, (int) Math.min(Integer.MAX_VALUE - 8, count + (count >> 1) + 16L));
      }
      // the sign flip makes the signed sort order the order of the hash's top bits, the directory's
      keys[count++] = ((hash ^ Long.MIN_VALUE) & -64L) | tag;
      return this;
    }

    public int count() {
      return count;
    }

    /**
     * Makes room for {@code more} further entries at once: a reload of five million domains then
     * allocates its array once instead of doubling it a dozen times.
     */
    public Builder expect(int more) {
      long want = (long) count + Math.max(0, more);
      if (want > keys.length) {
        keys = Arrays.copyOf(keys, (int) Math.min(Integer.MAX_VALUE - 8, want));
      }
      return this;
    }

    /** A domain added with several tags keeps the largest. */
    public DomainIndex build() {
      return build(tags -> 63 - Long.numberOfLeadingZeros(tags));
    }

    /** A domain added with several tags keeps {@code merge} folded over them, smallest tag first. */
    public DomainIndex build(IntBinaryOperator merge) {
      return build(tags -> {
        int acc = Long.numberOfTrailingZeros(tags);
        for (long rest = tags & (tags - 1); rest != 0; rest &= rest - 1) {
          acc = merge.applyAsInt(acc, Long.numberOfTrailingZeros(rest));
        }
        return acc;
      });
    }

    /**
     * Builds the index; {@code payloadOf} turns the set of a domain's tags (bit {@code t} for
     * tag {@code t}) into its payload, 0..65535. Sorts the gathered entries and compacts them in
     * place, so the only new memory is the directory and, when {@link #expect} overestimated by
     * more than a sixteenth, a trimmed copy.
     */
    public DomainIndex build(LongToIntFunction payloadOf) {
      long[] a = keys;
      int n = count;
      keys = new long[16];
      count = 0;
      Arrays.sort(a, 0, n);
      // about 64-128 entries a bucket, at most 2^16 buckets (256 KiB, which stays in cache)
      int bits = Math.max(1, Math.min(16, 31 - Integer.numberOfLeadingZeros(Math.max(1, n / 64))));
      int shift = 64 - bits;
      int[] directory = new int[(1 << bits) + 1];
      int out = 0;
      int i = 0;
      while (i < n) {
        long hashBits = a[i] & -64L;
        long tags = 0;
        for (; i < n && (a[i] & -64L) == hashBits; i++) {
          tags |= 1L << (a[i] & 63);
        }
        int payload = payloadOf.applyAsInt(tags);
        if (payload < 0 || payload > PAYLOAD) {
          throw new IllegalArgumentException("payload out of range 0..65535: " + payload);
        }
        directory[(int) ((hashBits ^ Long.MIN_VALUE) >>> shift) + 1]++;
        a[out++] = ((hashBits << TO_ENTRY) & KEY) | payload;
      }
      for (int b = 1; b < directory.length; b++) {
        directory[b] += directory[b - 1];
      }
      // a few unused slots at the end cost less than a second copy of the whole array in the heap
      long[] entries = a.length - out <= a.length / 16 ? a : Arrays.copyOf(a, out);
      return new DomainIndex(entries, directory, bits, out);
    }
  }
}
