package org.schoolgate.policy;

import java.util.Arrays;
import java.util.function.LongToIntFunction;

/**
 * Lays a {@link DomainIndex.Builder}'s gathered entries out as the ordered linear-probing table
 * {@link DomainIndex} reads, in the builder's own array when it is about the right size (so a
 * five-million-domain reload allocates one array, not two). Four passes over the array: sort;
 * walk the distinct hashes once to place them (each at {@code max(home, previous + 1)}) and to
 * measure the longest run of occupied slots and the widest gap between neighbouring hashes,
 * which fix how many top hash bits the table can leave implied; compact the entries into their
 * final form; then move them right to their slots, last first, writing a fence into every slot
 * left empty. The last pass needs each entry's slot again without a second array: it keeps the
 * first slot and top hash bits of every block of 4,096 entries from the walk and recomputes the
 * block's slots from the compacted entries.
 */
final class IndexLayout {
  /** Slots a table gets: five for every four domains (four fifths full). */
  private static final int LOAD_NUM = 5;
  private static final int LOAD_DEN = 4;
  /** At most this many top hash bits are implied (a gathered entry keeps hash bits 6..63). */
  private static final int MAX_IMPLIED = 10;
  private static final int BLOCK_BITS = 12;
  private static final int BLOCK = 1 << BLOCK_BITS;
  private static final int MAX_SLOTS = Integer.MAX_VALUE - 8;

  private IndexLayout() {}

  /** Home slots for {@code domains}. */
  private static long homesFor(long domains) {
    return Math.max(8, domains * LOAD_NUM / LOAD_DEN);
  }

  /** Slots past the last home that the last run of entries may spill into. */
  private static long spillRoom(long slots) {
    return 8 + (slots >> 10);
  }

  /** The array length a builder expecting {@code domains} gathers into, so that it is laid out in place. */
  static long slotsFor(long domains) {
    long homes = homesFor(domains);
    return Math.min(MAX_SLOTS, homes + spillRoom(homes));
  }

  /** What the walk found for one choice of {@code m}. */
  private record Walk(int lastSlot, int implied, int[] blockSlot, int[] blockTop) {}

  static DomainIndex build(long[] a, int n, LongToIntFunction payloadOf) {
    Arrays.sort(a, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || (a[i] & -64L) != (a[i - 1] & -64L)) {
        distinct++;
      }
    }
    long wanted = homesFor(distinct);
    int inPlaceHomes = (int) Math.max(0, a.length - spillRoom(a.length));
    // in place when the array makes the table between half and 0.85 full; otherwise a new array
    boolean inPlace = distinct * 100L <= inPlaceHomes * 85L && distinct * 2L >= inPlaceHomes && inPlaceHomes >= 8;
    int m = inPlace ? inPlaceHomes : (int) Math.min(MAX_SLOTS / 2, wanted);
    Walk walk;
    while (true) {
      walk = walk(a, n, distinct, m);
      if (walk.implied < 0) {
        // a run of entries too long for the table (never seen with real hashes): more slots
        inPlace = false;
        m = (int) Math.min(MAX_SLOTS / 2, 2L * m);
        continue;
      }
      if (inPlace && walk.lastSlot + 2L > a.length) { // m <= a.length - 8 already
        m -= (int) (walk.lastSlot + 2L - a.length + spillRoom(a.length));
        if (distinct * 100L > m * 85L) {
          inPlace = false;
          m = (int) Math.min(MAX_SLOTS / 2, wanted);
        }
        continue;
      }
      break;
    }
    int d = walk.implied;
    compact(a, n, d, payloadOf);
    // every home has a slot, and the last run (which may spill past the last home) a fence after it
    long[] table = inPlace ? a : new long[Math.max(m, walk.lastSlot + 1) + 1];
    spread(a, distinct, table, m, d, walk);
    return new DomainIndex(table, m, d, distinct);
  }

  /**
   * Places the distinct hashes of the sorted {@code a[0..n)} in a table of {@code m} homes
   * without moving them; returns the last slot used, the implied bits (-1 when even none are
   * safe) and each block's first slot and top hash bits.
   */
  private static Walk walk(long[] a, int n, int distinct, int m) {
    int blocks = (distinct + BLOCK - 1) >> BLOCK_BITS;
    int[] blockSlot = new int[blocks];
    int[] blockTop = new int[blocks];
    int slot = -1;
    int runStart = 0;
    int longestRun = 0;
    long widestGap = 0;
    long previous = 0;
    int j = 0;
    for (int i = 0; i < n; i++) {
      long key = a[i] & -64L;
      if (j > 0 && key == (a[i - 1] & -64L)) {
        continue;
      }
      long hash = key ^ Long.MIN_VALUE;
      if (j > 0 && Long.compareUnsigned(hash - previous, widestGap) > 0) {
        widestGap = hash - previous;
      }
      int home = (int) (((hash >>> 32) * m) >>> 32);
      if (home > slot + 1) {
        runStart = home;
      }
      slot = Math.max(home, slot + 1);
      longestRun = Math.max(longestRun, slot - runStart + 1);
      if ((j & (BLOCK - 1)) == 0) {
        blockSlot[j >> BLOCK_BITS] = slot;
        blockTop[j >> BLOCK_BITS] = (int) (hash >>> 32);
      }
      previous = hash;
      j++;
    }
    return new Walk(slot, implied(m, longestRun, widestGap), blockSlot, blockTop);
  }

  /**
   * The most top hash bits an entry may leave out: a lookup compares its hash with entries and
   * fences of the run it lands in, all closer than (run + 2) * 2^64 / m, and that difference
   * times 2^d must stay under 2^62 for the modular comparison to be exact; and neighbouring
   * hashes closer than 2^(63-d), so that {@link #spread} can tell where the top bits step.
   */
  private static int implied(int m, int longestRun, long widestGap) {
    int d = MAX_IMPLIED;
    while (d >= 0 && ((long) longestRun + 2) << (d + 2) > m) {
      d--;
    }
    if (d > 0 && widestGap != 0) {
      int gapBits = 64 - Long.numberOfLeadingZeros(widestGap); // widestGap < 2^gapBits
      d = Math.max(0, Math.min(d, 63 - gapBits));
    }
    return d;
  }

  /** Rewrites the sorted gathered entries as one final entry per distinct hash in {@code a[0..distinct)}. */
  private static void compact(long[] a, int n, int d, LongToIntFunction payloadOf) {
    int out = 0;
    int i = 0;
    while (i < n) {
      long key = a[i] & -64L;
      long tags = 0;
      for (; i < n && (a[i] & -64L) == key; i++) {
        tags |= 1L << (a[i] & 63);
      }
      int payload = payloadOf.applyAsInt(tags);
      if (payload < 0 || payload > DomainIndex.PAYLOAD) {
        throw new IllegalArgumentException("payload out of range 0..65535: " + payload);
      }
      a[out++] = (((key ^ Long.MIN_VALUE) << d) & DomainIndex.KEY) | payload;
    }
  }

  /**
   * Moves the compacted entries {@code src[0..distinct)} to their slots in {@code dst} (which
   * may be {@code src}: every entry moves right or stays, and the last moves first), and fills
   * every other slot with its fence.
   */
  private static void spread(long[] src, int distinct, long[] dst, int m, int d, Walk walk) {
    int[] slots = new int[Math.min(BLOCK, Math.max(1, distinct))];
    int next = dst.length;
    for (int b = walk.blockSlot.length - 1; b >= 0; b--) {
      int from = b << BLOCK_BITS;
      int to = Math.min(distinct, from + BLOCK);
      // the block's slots again: its first from the walk, the rest from the hashes' top bits,
      // which the entries hold but for the top d, and those step up where an entry's bits wrap
      long top = Integer.toUnsignedLong(walk.blockTop[b]) >>> (32 - d);
      int slot = walk.blockSlot[b];
      slots[0] = slot;
      long previous = src[from] & DomainIndex.KEY;
      for (int k = from + 1; k < to; k++) {
        long bits = src[k] & DomainIndex.KEY;
        if (Long.compareUnsigned(bits, previous) < 0) {
          top++;
        }
        previous = bits;
        long top32 = (top << (32 - d)) | (bits >>> (32 + d));
        slot = Math.max((int) ((top32 * m) >>> 32), slot + 1);
        slots[k - from] = slot;
      }
      for (int k = to - 1; k >= from; k--) {
        long entry = src[k];
        int s = slots[k - from];
        for (int f = s + 1; f < next; f++) {
          dst[f] = fence(f, m, d);
        }
        dst[s] = entry;
        next = s;
      }
    }
    for (int f = 0; f < next; f++) {
      dst[f] = fence(f, m, d);
    }
  }

  /**
   * What an empty slot holds: just above the smallest hash whose home is the next slot, so
   * every hash whose walk reaches this slot (home at or before it) compares below it and stops.
   * Past the last home it wraps round, as the lookup's modular comparison expects.
   */
  static long fence(int slot, int m, int d) {
    long firstTop = ((((long) slot + 1) << 32) + m - 1) / m;
    return ((firstTop << (32 + d)) + (1L << 16)) & DomainIndex.KEY;
  }
}
