package org.schoolgate.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.policy.CategoryLists;

/** The list formats of SPEC section 5. */
class BlocklistsTest {
  @TempDir
  Path dir;

  Path folder;

  @BeforeEach
  void createFolder() throws IOException {
    folder = dir.resolve("blocklists");
    Files.createDirectories(folder);
  }

  private Path write(String name, String text) throws IOException {
    Path file = folder.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static boolean listed(CategoryLists lists, String category, String domain) {
    long bit = lists.bit(category);
    assertTrue(bit != 0, () -> "no category " + category);
    return (lists.categoriesOf(domain) & bit) != 0;
  }

  private static void assertListed(CategoryLists lists, String category, String... domains) {
    for (String d : domains) {
      assertTrue(listed(lists, category, d), () -> d + " is not in " + category);
    }
  }

  private static void assertNotListed(CategoryLists lists, String... domains) {
    for (String d : domains) {
      assertEquals(0L, lists.categoriesOf(d), () -> d + " is listed");
    }
  }

  @Test
  void everyLineFormatOfTheSpecIsRead() throws Exception {
    write("social.txt", """
        # Category: social
        facebook.com
        *.instagram.com
        0.0.0.0 tiktok.com
        0.0.0.0 a.snapchat.com b.snapchat.com\tc.snapchat.com
        127.0.0.1 pinterest.com
        ||vk.com^

           # an indented comment

          linkedin.com   \s
        bereal.com # a comment after the entry
        FaceBook.NET.
        bücher.de
        """);

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("social"));

    assertEquals(List.of(), loaded.problems());
    CategoryLists lists = loaded.lists();
    assertListed(lists, "social", "facebook.com", "instagram.com", "tiktok.com", "a.snapchat.com", "b.snapchat.com",
        "c.snapchat.com", "pinterest.com", "vk.com", "linkedin.com", "bereal.com", "facebook.net", "xn--bcher-kva.de");
    assertNotListed(lists, "snapchat.com", "category", "social", "0.0.0.0", "127.0.0.1");
    assertEquals(Map.of("social", 12), loaded.counts());
    assertEquals(12, lists.domainCount());
  }

  @Test
  void hostsFileBoilerplateIsNeitherAnEntryNorAProblem() throws Exception {
    write("social.txt", """
        127.0.0.1 localhost
        127.0.0.1 localhost.localdomain
        255.255.255.255 broadcasthost
        ::1 localhost ip6-localhost ip6-loopback
        fe00::0 ip6-localnet
        ff00::0 ip6-mcastprefix
        ff02::1 ip6-allnodes
        ff02::2 ip6-allrouters
        0.0.0.0 0.0.0.0
        0.0.0.0 facebook.com
        """);

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("social"));

    assertEquals(List.of(), loaded.problems());
    assertEquals(Map.of("social", 1), loaded.counts());
    assertListed(loaded.lists(), "social", "facebook.com");
    assertNotListed(loaded.lists(), "localhost", "broadcasthost", "ip6-localhost");
  }

  @Test
  void aPastedAdblockListIsRead() throws Exception {
    write("social.txt", """
        ! Title: social networks
        ! Expires: 4 days
        ||facebook.com^
        ||instagram.com^
        """);

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("social"));

    assertEquals(List.of(), loaded.problems());
    assertListed(loaded.lists(), "social", "facebook.com", "instagram.com");
  }

  @Test
  void windowsLineEndingsAreRead() throws Exception {
    write("chat.txt", "# chat\r\ndiscord.com\r\n0.0.0.0 discord.gg\r\n\r\n||telegram.org^\r\n");

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("chat"));

    assertEquals(List.of(), loaded.problems());
    assertListed(loaded.lists(), "chat", "discord.com", "discord.gg", "telegram.org");
  }

  @Test
  void aUt1FolderWithADomainsFileIsACategory() throws Exception {
    write("gambling/domains", "casino.example\nbet.example\n");
    write("gambling/urls", "casino.example/poker\n"); // UT1 ships this too; it is not read

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("gambling"));

    assertEquals(List.of(), loaded.problems());
    assertListed(loaded.lists(), "gambling", "casino.example", "bet.example");
    assertEquals(Map.of("gambling", 2), loaded.counts());
  }

  @Test
  void aDomainInTwoListsCarriesBothCategories() throws Exception {
    write("social.txt", "facebook.com\nshared.example\n");
    write("chat.txt", "discord.com\nshared.example\n");

    CategoryLists lists = Blocklists.load(folder, Set.of("social", "chat")).lists();

    assertEquals(List.of("chat", "social"), lists.names());
    assertEquals(lists.bit("social") | lists.bit("chat"), lists.categoriesOf("shared.example"));
    assertEquals(lists.bit("social"), lists.categoriesOf("facebook.com"));
    assertEquals(lists.bit("chat"), lists.categoriesOf("discord.com"));
  }

  @Test
  void unparseableLinesAreReportedWithFileAndLineAndTheRestLoads() throws Exception {
    write("forums.txt", String.join("\n",
        "reddit.com",                      // 1
        "this is not a domain",            // 2
        "http://4chan.org/",               // 3
        "||quora.com^$third-party",        // 4
        "# a comment",                     // 5
        "onlyonelabel",                    // 6
        "9gag.com",                        // 7
        "0.0.0.0 1.2.3.4",                 // 8
        "10.0.0.1",                        // 9
        "0.0.0.0 mumsnet.com bad_entry!",  // 10
        "-leading.example",                // 11
        "*.boards.ie",                     // 12
        "") + "\n");

    Blocklists.Loaded loaded = Blocklists.load(folder, List.of("forums"));

    assertEquals(List.of(
        "blocklists/forums.txt:2: \"this is not a domain\" is not a domain",
        "blocklists/forums.txt:3: \"http://4chan.org/\" is not a domain",
        "blocklists/forums.txt:4: \"||quora.com^$third-party\" is an adblock rule this list format does not take (only ||domain^)",
        "blocklists/forums.txt:6: \"onlyonelabel\" is a single label; a list entry must be a domain like example.com",
        "blocklists/forums.txt:8: \"0.0.0.0 1.2.3.4\" is an IP address; lists hold domain names",
        "blocklists/forums.txt:9: \"10.0.0.1\" is an IP address; lists hold domain names",
        "blocklists/forums.txt:10: \"0.0.0.0 mumsnet.com bad_entry!\" is not a domain",
        "blocklists/forums.txt:11: \"-leading.example\" is not a domain"),
        loaded.problems());
    assertListed(loaded.lists(), "forums", "reddit.com", "9gag.com", "boards.ie");
    assertNotListed(loaded.lists(), "4chan.org", "quora.com", "mumsnet.com");
    assertEquals(Map.of("forums", 3), loaded.counts());
  }

  @Test
  void aVeryLongBadLineIsShortenedInItsProblem() throws Exception {
    String garbage = "x".repeat(50) + " " + "y".repeat(50);
    write("social.txt", "facebook.com\n" + garbage + "\n");

    List<String> problems = Blocklists.load(folder, List.of("social")).problems();

    assertEquals(List.of("blocklists/social.txt:2: \"" + garbage.substring(0, 77) + "...\" is not a domain"), problems);
  }

  @Test
  void aBadLineInAUt1FolderNamesTheDomainsFile() throws Exception {
    write("gambling/domains", "casino.example\nnot a domain\n");

    assertEquals(List.of("blocklists/gambling/domains:2: \"not a domain\" is not a domain"),
        Blocklists.load(folder, List.of("gambling")).problems());
  }

  @Test
  void aMissingCategoryFileFailsTheWholeLoad() throws Exception {
    write("social.txt", "facebook.com\n");

    IOException e = assertThrows(IOException.class, () -> Blocklists.load(folder, List.of("social", "gaming")));
    assertTrue(e.getMessage().contains("\"gaming\""), e::getMessage);
  }

  @Test
  void checkAllReportsTheProblemsOfEveryFileIncludingUnusedOnes() throws Exception {
    write("social.txt", "facebook.com\nnot a domain\n");
    write("chat.txt", "# chat\n\ndiscord.com\nhttps://discord.gg/\n");
    write("unused.txt", "ok.example\nsingle\n");
    write("gambling/domains", "casino.example\n1.2.3.4\n");
    write("README.md", "this is not a list\n");

    List<String> problems = Blocklists.checkAll(folder);

    assertEquals(Set.of(
        "blocklists/social.txt:2: \"not a domain\" is not a domain",
        "blocklists/chat.txt:4: \"https://discord.gg/\" is not a domain",
        "blocklists/unused.txt:2: \"single\" is a single label; a list entry must be a domain like example.com",
        "blocklists/gambling/domains:2: \"1.2.3.4\" is an IP address; lists hold domain names"),
        Set.copyOf(problems));
    assertEquals(4, problems.size());
  }

  @Test
  void checkAllOfCleanListsReportsNothing() throws Exception {
    write("social.txt", "facebook.com\n");
    write("chat.txt", "discord.com\n");
    assertEquals(List.of(), Blocklists.checkAll(folder));
  }

  // ---- the lists shipped in blocklists/ ----------------------------------------------------------

  @Test
  void theShippedListsHaveNoProblems() throws Exception {
    assertEquals(List.of(), Blocklists.checkAll(Path.of("../blocklists")));
  }

  @Test
  void theShippedListsLoadForTheShippedConfiguration() throws Exception {
    Config config = ConfigLoader.load(Path.of("../config/schoolgate.yaml"));

    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories());

    assertEquals(List.of(), loaded.problems());
    for (String category : config.referencedCategories()) {
      assertTrue(loaded.counts().get(category) > 0, () -> category + " is empty");
    }
    CategoryLists lists = loaded.lists();
    assertListed(lists, "social", "facebook.com");
    assertListed(lists, "forums", "reddit.com");
    assertListed(lists, "circumvention", "translate.goog");
    assertEquals(0L, lists.categoriesOf("classroom.google.com"));
  }
}
