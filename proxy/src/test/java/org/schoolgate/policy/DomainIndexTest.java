package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainIndexTest {

  @Test
  void findsAddedDomainsWithTheirPayload() {
    DomainIndex index = new DomainIndex.Builder().add("facebook.com", 3).add("reddit.com", 0).build();

    assertTrue(index.contains("facebook.com"));
    assertEquals(3, index.get("facebook.com"));
    assertEquals(0, index.get("reddit.com"));
    assertEquals(2, index.size());
  }

  @Test
  void matchesWholeDomainsOnlyNotParentsOrChildren() {
    DomainIndex index = new DomainIndex.Builder().add("m.facebook.com", 1).build();

    assertFalse(index.contains("facebook.com"));
    assertFalse(index.contains("x.m.facebook.com"));
    assertFalse(index.contains("notm.facebook.com"));
    assertEquals(-1, index.get("facebook.com"));
  }

  @Test
  void anEmptyIndexHoldsNothing() {
    assertEquals(0, DomainIndex.EMPTY.size());
    assertFalse(DomainIndex.EMPTY.contains("example.com"));
    assertFalse(new DomainIndex.Builder().build().contains(""));
  }

  @Test
  void aDomainAddedTwiceIsKeptOnceWithTheLargestTag() {
    DomainIndex index = new DomainIndex.Builder().add("facebook.com", 2).add("facebook.com", 1).build();

    assertEquals(1, index.size());
    assertEquals(2, index.get("facebook.com"));
  }

  @Test
  void aDomainAddedTwiceMergesTagsWithTheGivenFunction() {
    DomainIndex.Builder b = new DomainIndex.Builder().add("facebook.com", 1).add("x.com", 2).add("facebook.com", 2);
    assertEquals(3, b.count());

    DomainIndex index = b.build((a, c) -> a | c);

    assertEquals(2, index.size());
    assertEquals(3, index.get("facebook.com"));
    assertEquals(2, index.get("x.com"));
  }

  @Test
  void thePayloadIsComputedFromTheSetOfTags() {
    DomainIndex.Builder b = new DomainIndex.Builder().add("a.com", 0).add("a.com", 63).add("b.com", 5);

    DomainIndex index = b.build(tags -> tags == ((1L << 63) | 1) ? 65535 : Long.numberOfTrailingZeros(tags));

    assertEquals(65535, index.get("a.com"));
    assertEquals(5, index.get("b.com"));
  }

  @Test
  void tagsMustBeZeroToSixtyThreeAndPayloadsFitInSixteenBits() {
    DomainIndex.Builder b = new DomainIndex.Builder();
    assertThrows(IllegalArgumentException.class, () -> b.add("a.com", -1));
    assertThrows(IllegalArgumentException.class, () -> b.add("a.com", 64));
    assertThrows(IllegalArgumentException.class, () -> new DomainIndex.Builder().add("a.com", 1).build(t -> 65536));
    assertThrows(IllegalArgumentException.class, () -> new DomainIndex.Builder().add("a.com", 1).build(t -> -1));
    assertEquals(63, b.add("a.com", 63).build().get("a.com"));
  }

  @Test
  void aBuilderBuildsOnceThenStartsEmpty() {
    DomainIndex.Builder b = new DomainIndex.Builder().add("a.com", 1);
    assertEquals(1, b.build().size());

    assertEquals(0, b.count());
    DomainIndex second = b.add("b.com", 2).build();
    assertEquals(1, second.size());
    assertFalse(second.contains("a.com"));
  }

  @Test
  void hundredThousandRandomDomainsAreAllFoundAndOthersAreNot() {
    Random random = new Random(20260112L);
    Set<String> present = new HashSet<>();
    while (present.size() < 100_000) {
      present.add(randomDomain(random));
    }
    List<String> ordered = new ArrayList<>(present);
    DomainIndex.Builder b = new DomainIndex.Builder();
    for (int i = 0; i < ordered.size(); i++) {
      b.add(ordered.get(i), i & 63);
    }
    DomainIndex index = b.build();

    assertEquals(100_000, index.size());
    for (int i = 0; i < ordered.size(); i++) {
      assertEquals(i & 63, index.get(ordered.get(i)), ordered.get(i));
    }
    int absentChecked = 0;
    while (absentChecked < 100_000) {
      String d = randomDomain(random);
      if (!present.contains(d)) {
        assertFalse(index.contains(d), d);
        absentChecked++;
      }
    }
  }

  private static String randomDomain(Random random) {
    String[] tlds = {"com", "org", "net", "co.uk", "de", "io"};
    StringBuilder sb = new StringBuilder();
    int labels = 1 + random.nextInt(3);
    for (int l = 0; l < labels; l++) {
      int len = 1 + random.nextInt(12);
      for (int i = 0; i < len; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      sb.append('.');
    }
    return sb.append(tlds[random.nextInt(tlds.length)]).toString();
  }

  @Test
  void anExpectedSizeIsRoomNotALimit() {
    DomainIndex.Builder b = new DomainIndex.Builder().add("kept.example", 7).expect(3).expect(-5);
    for (int i = 0; i < 5000; i++) {
      b.add("site" + i + ".example", i % 60);
    }
    DomainIndex index = b.build();
    assertEquals(5001, index.size());
    assertEquals(7, index.get(DomainHash.of("kept.example")));
    assertEquals(4999 % 60, index.get(DomainHash.of("site4999.example")));
  }
}
