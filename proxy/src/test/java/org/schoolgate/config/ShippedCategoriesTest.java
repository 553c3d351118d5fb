package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.policy.CategoryLists;
import org.schoolgate.proxy.Categories;

/** SPEC 13 "Categories": the shipped configuration, lists and words for the UKSIC categories and dating. */
class ShippedCategoriesTest {
  static final List<String> CONTENT = List.of("adult", "gambling", "drugs", "extremism", "self-harm", "violence",
      "malware", "piracy", "discrimination", "dating");

  @Test
  void pupilsAreBlockedFromEveryContentCategoryAndAdultsFromWhatNoOneMayDoAtSchool() throws Exception {
    Config c = ConfigLoader.load(Path.of("../config/schoolgate.yaml"));

    assertTrue(c.groups().get("pupils").block().containsAll(CONTENT), () -> "pupils block " + c.groups().get("pupils"));
    for (String adults : List.of("staff", "office")) {
      assertEquals(Set.of("circumvention", "adult", "malware", "extremism", "piracy"), c.groups().get(adults).block(),
          adults);
    }
  }

  @Test
  void everyShippedCategoryHasAStarterListOfRealDomainsAndWordsForPeople() throws Exception {
    Blocklists.Loaded loaded = Blocklists.load(Path.of("../blocklists"), CONTENT);
    CategoryLists lists = loaded.lists();

    assertEquals(List.of(), loaded.problems());
    for (String category : CONTENT) {
      assertTrue(loaded.counts().get(category) >= 4, () -> category + ": " + loaded.counts());
      assertTrue(Categories.hasWords(category), category + " has no words");
    }
    assertEquals(lists.bit("adult"), lists.categoriesOf("pornhub.com"));
    assertEquals(lists.bit("gambling"), lists.categoriesOf("bet365.com"));
    assertEquals(lists.bit("malware"), lists.categoriesOf("internetbadguys.com"));
    assertEquals(0, lists.categoriesOf("talktofrank.com"), "help sites are never listed");
    assertEquals(0, lists.categoriesOf("samaritans.org"), "help sites are never listed");
  }
}
