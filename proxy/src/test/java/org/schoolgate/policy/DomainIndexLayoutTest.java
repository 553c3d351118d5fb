package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sorted layout's edges, driven by chosen hashes: crowded buckets, the documented collisions, extreme hashes. */
class DomainIndexLayoutTest {

  @Test
  void aThousandHashesInOneBucketAndManySpreadAreEachFoundWithTheirOwnTag() {
    // same top 32 bits: one directory bucket however large the index is
    DomainIndex.Builder b = new DomainIndex.Builder();
    long top = 0x5eed_0000_0000_0000L;
    for (int i = 0; i < 1000; i++) {
      b.add(top | ((long) i << 6), i % 64);
    }
    // and 100,000 spread over the rest: 1,024 buckets, so lookups start from an interpolated place
    Random random = new Random(3);
    long[] spread = new long[100_000];
    for (int i = 0; i < spread.length; i++) {
      spread[i] = random.nextLong() & ~0x3fL;
      b.add(spread[i], 2);
    }
    DomainIndex index = b.build();

    for (long h : spread) {
      assertEquals(2, index.get(h));
      assertEquals(-1, index.get(h ^ (1L << 6)));
      assertEquals(-1, index.get(h ^ (1L << 40)));
    }

    for (int i = 0; i < 1000; i++) {
      assertEquals(i % 64, index.get(top | ((long) i << 6)), "entry " + i);
    }
    assertEquals(-1, index.get(top | (1000L << 6)));
    assertEquals(-1, index.get(top ^ Long.MIN_VALUE));
  }

  @Test
  void hashesDifferingOnlyInTheSixLowestOrTenHighestBitsCollideAsDocumented() {
    // bits 0..5 are never compared; bits 54..63 are compared only through the bucket, which
    // holds 20+ of them once the index has a few million entries, and fewer in a small one
    long h = 0x1234_5678_9abc_def0L;
    DomainIndex small = new DomainIndex.Builder().add(h, 7).build();

    assertEquals(7, small.get(h | 0x3f));
    assertEquals(7, small.get(h ^ (1L << 62)), "a one-entry index has a one-bit directory");
    assertEquals(-1, small.get(h ^ Long.MIN_VALUE), "the directory's bit tells these apart");
    assertEquals(-1, small.get(h ^ (1L << 6)), "bit 6 is compared in the entry");
    assertEquals(-1, small.get(h ^ (1L << 53)), "bit 53 is compared in the entry");
  }

  @Test
  void theSmallestAndLargestHashesLandInTheFirstAndLastBuckets() {
    DomainIndex.Builder b = new DomainIndex.Builder().add(0L, 1).add(-1L, 2).add(Long.MIN_VALUE, 3).add(Long.MAX_VALUE, 4);
    for (int i = 1; i <= 100; i++) {
      b.add((long) i << 40, 5);
    }
    DomainIndex index = b.build();

    assertEquals(1, index.get(0L));
    assertEquals(2, index.get(-1L));
    assertEquals(3, index.get(Long.MIN_VALUE));
    assertEquals(4, index.get(Long.MAX_VALUE));
    assertEquals(104, index.size());
  }

  @Test
  void footprintIsUnderTenBytesADomain() {
    DomainIndex.Builder b = new DomainIndex.Builder().expect(100_000);
    Random random = new Random(5);
    for (int i = 0; i < 100_000; i++) {
      b.add(random.nextLong(), 0);
    }
    DomainIndex index = b.build();

    assertEquals(100_000, index.size());
    assertEquals(100_000 * 8 + ((1 << 10) + 1) * 4, index.footprintBytes());
  }
}
