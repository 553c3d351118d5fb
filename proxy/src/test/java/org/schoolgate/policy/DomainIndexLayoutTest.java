package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ordered table's edges, driven by chosen hashes: crowded homes, the documented collisions, extreme hashes, sizes. */
class DomainIndexLayoutTest {

  @Test
  void aThousandHashesWithOneHomeAndManySpreadAreEachFoundWithTheirOwnTag() {
    // same top 32 bits: one home slot however large the index is, so one long run (2^16
    // apart: closer hashes are near-twins the entries cannot tell apart, as documented)
    DomainIndex.Builder b = new DomainIndex.Builder();
    long top = 0x5eed_0000_0000_0000L;
    for (int i = 0; i < 1000; i++) {
      b.add(top | ((long) i << 16), i % 64);
    }
    Random random = new Random(3);
    long[] spread = new long[100_000];
    for (int i = 0; i < spread.length; i++) {
      spread[i] = random.nextLong() & ~0x3fL;
      b.add(spread[i], 2);
    }
    DomainIndex index = b.build();

    for (long h : spread) {
      assertEquals(2, index.get(h));
      assertEquals(-1, index.get(h ^ (1L << 16)), "bit 16 is always compared");
      assertEquals(-1, index.get(h ^ (1L << 40)));
      assertEquals(-1, index.get(h ^ Long.MIN_VALUE));
    }
    for (int i = 0; i < 1000; i++) {
      assertEquals(i % 64, index.get(top | ((long) i << 16)), "entry " + i);
    }
    assertEquals(-1, index.get(top | (1000L << 16)));
    assertEquals(-1, index.get(top - (1L << 16)));
    assertEquals(-1, index.get(top ^ Long.MIN_VALUE));
  }

  @Test
  void aLargeTableComparesUpToFiftyEightBitsASmallOneAtLeastFortyEight() {
    Random random = new Random(11);
    DomainIndex.Builder big = new DomainIndex.Builder().expect(200_000);
    long[] hashes = new long[200_000];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = random.nextLong();
      big.add(hashes[i], 1);
    }
    DomainIndex index = big.build();
    int d = index.impliedBits();
    assertTrue(d >= 5 && d <= 10, "implied bits " + d);
    for (int i = 0; i < 1000; i++) {
      long h = hashes[i];
      assertEquals(1, index.get(h | 0x3f), "bits 0..5 are never compared");
      assertEquals(1, index.get(h ^ (1L << (15 - d))), "bit 15-d is not compared");
      assertEquals(-1, index.get(h ^ (1L << (16 - d))), "bit 16-d is compared in the entry");
      assertEquals(-1, index.get(h ^ (1L << 53)), "bit 53 is compared in the entry");
      assertEquals(-1, index.get(h ^ (1L << 60)), "bit 60 is compared in the entry or through the slot");
      assertEquals(-1, index.get(h ^ Long.MIN_VALUE), "bit 63 is compared through the slot");
    }

    long h = 0x1234_5678_9abc_def0L;
    DomainIndex small = new DomainIndex.Builder().add(h, 7).build();
    assertEquals(0, small.impliedBits());
    assertEquals(7, small.get(h ^ (1L << 15)), "a one-entry table compares bits 16..63 only");
    assertEquals(-1, small.get(h ^ (1L << 16)));
    assertEquals(-1, small.get(h ^ Long.MIN_VALUE));
  }

  @Test
  void theSmallestAndLargestHashesAreFound() {
    DomainIndex.Builder b = new DomainIndex.Builder().add(0L, 1).add(-1L, 2).add(Long.MIN_VALUE, 3).add(Long.MAX_VALUE, 4);
    for (int i = 1; i <= 100; i++) {
      b.add((long) i << 40, 5);
      b.add(-((long) i << 40), 6);
    }
    DomainIndex index = b.build();

    assertEquals(1, index.get(0L));
    assertEquals(2, index.get(-1L));
    assertEquals(3, index.get(Long.MIN_VALUE));
    assertEquals(4, index.get(Long.MAX_VALUE));
    assertEquals(204, index.size());
    for (int i = 1; i <= 100; i++) {
      assertEquals(5, index.get((long) i << 40));
      assertEquals(6, index.get(-((long) i << 40)));
      assertEquals(-1, index.get(((long) i << 40) + (1L << 30)));
      assertEquals(-1, index.get(-((long) i << 40) - (1L << 30)));
    }
    assertEquals(-1, index.get(-1L << 30));
    assertEquals(-1, index.get(1L << 30));
  }

  @Test
  void everySizeFromNoneToAFewThousandFindsWhatItHoldsAndNothingNextToIt() {
    Random random = new Random(17);
    for (int size = 0; size < 3000; size += 1 + size / 8) {
      for (boolean expected : new boolean[] {false, true}) {
        // half the hashes crowd a few homes, so runs are long and cross the end of the table;
        // they are 2^20 apart, so a hash 2^16 away from one is no other's near-twin
        Map<Long, Integer> want = new HashMap<>();
        DomainIndex.Builder b = new DomainIndex.Builder();
        if (expected) {
          b.expect(size);
        }
        for (int i = 0; i < size; i++) {
          long h = (i % 2 == 0 ? random.nextLong() : (random.nextInt(4) - 2L) << 61 | (long) random.nextInt(1 << 20) << 20)
              & ~0x3fL;
          int tag = random.nextInt(64);
          b.add(h, tag);
          want.merge(h, tag, Math::max);
        }
        DomainIndex index = b.build();
        assertEquals(want.size(), index.size());
        for (Map.Entry<Long, Integer> e : want.entrySet()) {
          long h = e.getKey();
          assertEquals(e.getValue(), index.get(h), "size " + size);
          for (long delta : new long[] {1L << 16, -(1L << 16), 1L << 33, -(1L << 33), 1L << 50}) {
            if (!want.containsKey(h + delta)) {
              assertEquals(-1, index.get(h + delta), "size " + size + ", next to " + Long.toHexString(h));
            }
          }
        }
        for (int i = 0; i < 200; i++) {
          long h = random.nextLong() & ~0x3fL;
          if (!want.containsKey(h)) {
            assertEquals(-1, index.get(h), "size " + size);
          }
        }
      }
    }
  }

  @Test
  void anExpectedBuildIsLaidOutInItsOwnArrayAtAboutTenBytesADomain() {
    DomainIndex.Builder b = new DomainIndex.Builder().expect(100_000);
    Random random = new Random(5);
    for (int i = 0; i < 100_000; i++) {
      b.add(random.nextLong(), 0);
    }
    DomainIndex index = b.build();

    assertEquals(100_000, index.size());
    assertEquals(IndexLayout.slotsFor(100_000), index.slots(), "the builder's array, not a copy");
    double bytesADomain = index.footprintBytes() / 100_000.0;
    assertTrue(bytesADomain > 9.9 && bytesADomain < 10.2, "bytes a domain: " + bytesADomain);
  }
}
