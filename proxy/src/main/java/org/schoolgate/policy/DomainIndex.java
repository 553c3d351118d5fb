package org.schoolgate.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.IntBinaryOperator;
import java.util.function.LongToIntFunction;

/**
 * An immutable set of domains, each with a 16-bit payload, in about 10 bytes a domain: one
 * {@code long} per slot of an ordered linear-probing table (Amble and Knuth's ordered hash
 * table, the layout a Robin Hood table settles into) about four fifths full. A domain's home
 * slot is its hash's top bits scaled to the table ({@code m} slots); the entries are in hash
 * order, each at its home slot or the first free one after it, and every empty slot holds a
 * fence that compares above every hash that could reach it. A lookup therefore reads one
 * place in memory and walks forwards (about three entries, usually in the same cache line)
 * until an entry is not below its hash: equal is a hit, anything else a miss. It allocates
 * nothing. The sorted array with a directory this replaced needed two dependent reads; the
 * open-addressing table before that, 20 bytes a domain.
 *
 * <p>An entry holds 48 bits of the hash above the payload: hash bits {@code 63-d .. 16-d},
 * where the table's layout fixes the top {@code d} bits (0..10, chosen at build time so that
 * every pair of hashes a lookup compares is closer than 2^(62-d): the comparison is then exact
 * in 64-bit modular arithmetic). A lookup so compares 48 + d bits; a false match needs an
 * unlisted domain agreeing with a listed one on all of them: about one in 10^11 lookups against
 * a 5-million-entry list (d = 10), and as rare at smaller sizes. A real match is always found.
 */
public final class DomainIndex {
  public static final DomainIndex EMPTY = new Builder().build();

  /** Payload bits at the bottom of each entry; the rest is hash. */
  static final long PAYLOAD = 0xFFFF;
  static final long KEY = ~PAYLOAD;

  private final long[] table;
  /** Home slots: a hash's top 32 bits times {@code m}, over 2^32. */
  private final int m;
  /** Top hash bits left out of an entry (the layout fixes them). */
  private final int d;
  private final int size;

  DomainIndex(long[] table, int m, int d, int size) {
    this.table = table;
    this.m = m;
    this.d = d;
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
    long[] t = table;
    int i = (int) (((hash >>> 32) * m) >>> 32);
    long want = (hash << d) & KEY;
    long e = t[i];
    long diff = want - (e & KEY);
    // the entries are in hash order and every walk ends at an entry or fence not below the hash
    while (diff > 0) {
      e = t[++i];
      diff = want - (e & KEY);
    }
    return diff == 0 ? (int) (e & PAYLOAD) : -1;
  }

  public int get(String domain) {
    return get(DomainHash.of(domain));
  }

  public boolean contains(String domain) {
    return get(domain) >= 0;
  }

  /** Heap bytes held by the table, for the performance report (JOL adds a few dozen bytes of headers). */
  public long footprintBytes() {
    return (long) table.length * 8;
  }

  /** Slots, for tests and the report. */
  int slots() {
    return table.length;
  }

  /** Hash bits the layout fixes, so that a lookup compares 48 + this many, for tests and the report. */
  int impliedBits() {
    return d;
  }

  /**
   * Collects domains, each with a tag 0..63, in one {@code long} each (hash and tag), in an
   * array sized for the finished table, which {@link #build} lays out in place: five million
   * domains cost about 50 MiB while they are gathered and nothing more when built. {@code build}
   * gives a domain added several times one payload computed from the set of its tags. A builder
   * builds once: afterwards it is empty again.
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
      // the sign flip makes the signed sort order the hash's unsigned order, the table's
      keys[count++] = ((hash ^ Long.MIN_VALUE) & -64L) | tag;
      return this;
    }

    public int count() {
      return count;
    }

    /**
     * Makes room for {@code more} further entries at once, and for the table they will be laid
     * out in: a reload of five million domains then allocates its one array once.
     */
    public Builder expect(int more) {
      long want = IndexLayout.slotsFor((long) count + Math.max(0, more));
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
     * tag {@code t}) into its payload, 0..65535. Sorts the gathered entries and lays them out
     * in the same array when it is the right size (the usual case after {@link #expect}).
     */
    public DomainIndex build(LongToIntFunction payloadOf) {
      long[] a = keys;
      int n = count;
      keys = new long[16];
      count = 0;
      return IndexLayout.build(a, n, payloadOf);
    }
  }
}
