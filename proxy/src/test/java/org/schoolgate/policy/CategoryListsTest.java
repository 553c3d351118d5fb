package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CategoryListsTest {
  private static final List<String> NAMES = List.of("adult", "gambling", "social");

  @Test
  void aDomainInSeveralListsHasEveryCategoryInItsMask() {
    CategoryLists lists = new CategoryLists.Builder(NAMES)
        .add("casino.example", 1).add("both.example", 0).add("both.example", 1).add("all.example", 2)
        .add("all.example", 0).add("all.example", 1).add("all.example", 1).build();

    assertEquals(lists.bit("gambling"), lists.categoriesOf("casino.example"));
    assertEquals(lists.bit("adult") | lists.bit("gambling"), lists.categoriesOf("both.example"));
    assertEquals(0b111, lists.categoriesOf("all.example"));
    assertEquals(0, lists.categoriesOf("other.example"));
    assertEquals(3, lists.domainCount());
  }

  @Test
  void suffixesAreMatchedByTheHostWalk() {
    CategoryLists lists = new CategoryLists.Builder(NAMES).add("casino.example", 1).add("a.b.social.example", 2).build();

    assertEquals(lists.bit("gambling"), anySuffixMask(lists, "www.eu.casino.example"));
    assertEquals(0, anySuffixMask(lists, "notcasino.example"));
    assertEquals(lists.bit("social"), anySuffixMask(lists, "x.a.b.social.example"));
    assertEquals(0, anySuffixMask(lists, "b.social.example"));
  }

  @Test
  void exceptionsHaveTheReservedBitThatNoCategoryHas() {
    CategoryLists lists = new CategoryLists.Builder(NAMES)
        .add("nhs.example", 0).addException("nhs.example").addException("sexed.example").build();

    assertEquals(lists.bit("adult") | CategoryLists.EXCEPTION, lists.categoriesOf("nhs.example"));
    assertEquals(CategoryLists.EXCEPTION, lists.categoriesOf("sexed.example"));
    for (String name : NAMES) {
      assertEquals(0, lists.bit(name) & CategoryLists.EXCEPTION);
    }
  }

  @Test
  void sixtyThreeCategoriesAndManyCombinationsFit() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CategoryLists.MAX_CATEGORIES; i++) {
      names.add("c" + i);
    }
    CategoryLists.Builder b = new CategoryLists.Builder(names);
    Random random = new Random(11);
    long[] masks = new long[5000];
    for (int d = 0; d < masks.length; d++) {
      long mask = random.nextLong() & ~CategoryLists.EXCEPTION;
      masks[d] = mask;
      for (long m = mask; m != 0; m &= m - 1) {
        b.add("d" + d + ".example", Long.numberOfTrailingZeros(m));
      }
    }
    CategoryLists lists = b.build();

    for (int d = 0; d < masks.length; d++) {
      assertEquals(masks[d], lists.categoriesOf("d" + d + ".example"), "d" + d);
    }
    assertThrows(IllegalArgumentException.class, () -> new CategoryLists.Builder(List.of("a")).add("x.example", 1));
    names.add("one-too-many");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new CategoryLists.Builder(names))
        .getMessage().contains("at most 63 categories"));
  }

  private static long anySuffixMask(CategoryLists lists, String host) {
    long[] found = {0};
    DomainHash.anySuffix(host, h -> {
      found[0] |= lists.categoriesOf(h);
      return false;
    });
    return found[0];
  }
}
