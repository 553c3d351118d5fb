package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.values.TimeRange;

/** The {@code lists} section (SPEC section 13): defaults, every field read, and errors that name the field. */
class ListsConfigTest {
  private static final String SPEC_EXAMPLE = """
      lists:
        update_window: "01:00-05:00"
        keep: 3
        max_size: 512MiB
        subscriptions:
          - name: ut1
            url: https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz
            format: ut1
            map:
              adult: adult
              social_networks: social
              gambling: gambling
              vpn: circumvention
            allow: [sexual_education]
            licence: "CC BY-SA 4.0, Universite Toulouse Capitole"
            enabled: true
          - name: gambling-extra
            url: https://lists.example.org/gambling.txt
            format: domains
            category: gambling
            licence: "Unlicense"
      """;

  @TempDir
  Path dir;

  private Path write(String yaml) throws IOException {
    ConfigLoaderTest.writeBlocklists(dir.resolve("blocklists"));
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, ConfigLoaderTest.VALID + yaml);
    return file;
  }

  private List<String> problemsOf(String yaml) throws IOException {
    Path file = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).problems();
  }

  @Test
  void withoutTheSectionThereAreNoSubscriptionsAndTheDefaults() throws Exception {
    Config.Lists l = ConfigLoader.load(write("")).lists();
    assertEquals(TimeRange.parse("01:00-05:00"), l.window());
    assertEquals(3, l.keep());
    assertEquals(512L << 20, l.maxSize());
    assertEquals(List.of(), l.subscriptions());
  }

  @Test
  void theSpecExampleLoads() throws Exception {
    Config.Lists l = ConfigLoader.load(write(SPEC_EXAMPLE)).lists();
    assertEquals(2, l.subscriptions().size());
    Config.Subscription ut1 = l.subscriptions().get(0);
    assertEquals("ut1", ut1.format());
    assertEquals(Map.of("adult", "adult", "social_networks", "social", "gambling", "gambling", "vpn", "circumvention"), ut1.map());
    assertEquals(Set.of("sexual_education"), ut1.allow());
    assertEquals(Set.of("adult", "social", "gambling", "circumvention"), ut1.categories());
    assertTrue(ut1.enabled());
    Config.Subscription extra = l.subscriptions().get(1);
    assertEquals("gambling", extra.category());
    assertEquals(Set.of("gambling"), extra.categories());
    assertEquals("Unlicense", extra.licence());
    assertEquals(Duration.ofSeconds(30), l.connectTimeout());
  }

  @Test
  void everyMistakeIsNamedByItsField() throws IOException {
    List<String> p = problemsOf("""
        lists:
          update_window: "05:00-01:00"
          keep: 0
          max_size: lots
          read_timeout: forever
          colour: blue
          subscriptions:
            - name: "Bad Name"
              url: ftp://lists.example.org/x
              format: csv
            - name: ut1
              url: https://lists.example.org/ut1.tar.gz
              format: ut1
              category: adult
              allow: [adult]
              map: {adult: adult}
            - name: ut1
              url: https://lists.example.org/x.txt
              format: hosts
              map: {a: b}
        """);
    String all = String.join("\n", p);
    assertTrue(all.contains("lists.update_window: \"05:00-01:00\" ends before it starts"), all);
    assertTrue(all.contains("lists.keep: 0 is out of range"), all);
    assertTrue(all.contains("lists.max_size: \"lots\" is not a size"), all);
    assertTrue(all.contains("lists.read_timeout:"), all);
    assertTrue(all.contains("lists.colour: unknown key"), all);
    assertTrue(all.contains("lists.subscriptions[0].name: \"Bad Name\" is not a subscription name"), all);
    assertTrue(all.contains("lists.subscriptions[0].url: \"ftp://lists.example.org/x\" is not a web address"), all);
    assertTrue(all.contains("lists.subscriptions[0].format: \"csv\" is not a list format"), all);
    assertTrue(all.contains("lists.subscriptions[1].category: a ut1 subscription has many categories"), all);
    assertTrue(all.contains("lists.subscriptions[1].allow[0]: \"adult\" is both mapped (blocked) and allowed"), all);
    assertTrue(all.contains("lists.subscriptions[2].name: \"ut1\" names two subscriptions"), all);
    assertTrue(all.contains("lists.subscriptions[2].category: is required for a hosts subscription"), all);
    assertTrue(all.contains("lists.subscriptions[2].map: only a ut1 subscription has source categories"), all);
  }

  @Test
  void ut1sQuietHoursAreRespectedInTheSchoolsTimezone() throws IOException {
    String ut1 = """
        lists:
          update_window: "%s"
          subscriptions:
            - name: ut1
              url: https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz
              format: ut1
              map: {gambling: gambling}
        """;
    List<String> p = problemsOf(ut1.formatted("07:30-08:30"));
    assertTrue(p.get(0).startsWith("lists.update_window: UT1 asks its users not to download between 08:00 and 19:00 GMT"), p.get(0));
    // 07:00-08:00 in London is 06:00-07:00 GMT in summer and 07:00-08:00 in winter: fine either way.
    assertFalse(ListsReader.inQuietHours(TimeRange.parse("07:00-08:00"), ZoneId.of("Europe/London")));
    assertTrue(ListsReader.inQuietHours(TimeRange.parse("18:00-19:00"), ZoneId.of("Asia/Tokyo")), "09:00-10:00 GMT");
    assertFalse(ListsReader.inQuietHours(ListsReader.DEFAULT_WINDOW, ZoneId.of("Europe/London")));
  }
}
