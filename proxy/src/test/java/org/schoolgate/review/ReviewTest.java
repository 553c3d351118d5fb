package org.schoolgate.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.store.Rows;
import org.schoolgate.store.SqliteStore;
import org.schoolgate.store.Store;

/** The review's counters (fed as the log writer feeds them) and the page built from a year of them. */
class ReviewTest {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final String YAML = """
      timezone: Europe/London
      listen: {proxy: 127.0.0.1:0}
      networks: {pupils: [10.10.0.0/16], staff: [10.20.0.0/16]}
      default_group: pupils
      timetable: {days: [MON, TUE, WED, THU, FRI], school_day: "08:45-15:15", breaks: ["12:00-13:00"]}
      groups:
        pupils: {block: [social, chat, circumvention]}
        staff: {block: [circumvention], block_in_lessons: [social]}
      allow: [classroom.google.com]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      """;

  @TempDir
  Path dir;
  Store store;
  Config config;

  @BeforeEach
  void open() throws Exception {
    Files.createDirectories(dir.resolve("blocklists"));
    for (String c : List.of("social", "chat", "circumvention")) {
      Files.writeString(dir.resolve("blocklists/" + c + ".txt"), c + "-example.com\n");
    }
    Files.writeString(dir.resolve("schoolgate.yaml"), YAML);
    config = ConfigLoader.load(dir.resolve("schoolgate.yaml"));
    store = SqliteStore.open(dir.resolve("data"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static AccessRecord access(String ts, String group, String host, String decision, String category) {
    return new AccessRecord(Instant.parse(ts), LONDON, "10.10.0.5", group, "proxy", "GET", host, 80, "/", decision, category,
        null, decision.equals("block") ? 403 : 200, 0, 0, 1, null, null, null, null, null, null);
  }

  @Test
  void countersAddUpBlocksBySiteAndAllowsByCategoryPerSchoolDayAndAreWrittenWhenDue() {
    Counters counters = new Counters(store, LONDON, Counters.FLUSH_NANOS, () -> 0L); // its time stands still: never due
    counters.access(access("2026-11-23T09:00:00Z", "pupils", "www.facebook.com", "block", "social"));
    counters.access(access("2026-11-23T09:01:00Z", "pupils", "www.facebook.com", "block", "social"));
    counters.access(access("2026-11-23T23:30:00Z", "pupils", "www.facebook.com", "block", "social")); // 23:30 GMT: still the 23rd
    counters.access(access("2026-11-23T09:02:00Z", "pupils", "www.bbc.co.uk", "allow", null)); // no category: not counted
    counters.access(access("2026-11-23T09:03:00Z", "staff", "www.facebook.com", "allow", "social"));
    counters.idle(false);
    assertEquals(List.of(), store.transaction(ops -> ops.counters().totals("2026-11-01", "2026-11-30")).join(), "not due yet");
    counters.idle(true);
    List<Rows.Count> totals = store.transaction(ops -> ops.counters().totals("2026-11-23", "2026-11-23")).join();
    assertEquals(2, totals.size(), totals::toString);
    assertTrue(totals.contains(new Rows.Count(null, "pupils", "social", "www.facebook.com", "block", 3)), totals::toString);
    assertTrue(totals.contains(new Rows.Count(null, "staff", "social", "", "allow", 1)), totals::toString);
  }

  @Test
  void aYearOfCountersMakesTheReviewPage() {
    // A year of a busy school: 365 days x 2 groups x 3 categories x 40 sites, about 88,000 rows.
    LocalDate first = LocalDate.of(2025, 9, 1);
    store.transaction(ops -> {
      for (int d = 0; d < 365; d++) {
        List<Rows.Count> day = new ArrayList<>();
        for (String group : List.of("pupils", "staff")) {
          for (String category : List.of("social", "chat", "circumvention")) {
            for (int s = 0; s < 40; s++) {
              day.add(new Rows.Count(first.plusDays(d).toString(), group, category, "site" + s + "." + category + ".test",
                  "block", 1 + s));
            }
          }
        }
        ops.counters().add(day);
      }
      return null;
    }).join();
    // What it costs is measured by tests/jmh's ReviewBench, never on this test's wall clock.
    org.schoolgate.console.ReviewView.Page page = Review.build(store, config, first, first.plusDays(364), Instant.parse("2026-09-01T08:00:00Z"), null);
    String html = Review.render(page);
    assertEquals(365L * 2 * 3 * (40 * 41 / 2), page.blocked());
    assertEquals(6, page.top().size());
    assertEquals(Review.TOP, page.top().get(0).sites().size());
    assertEquals("site39.social.test", page.top().stream().filter(t -> t.group().equals("pupils")
        && t.category().equals("social networking")).findFirst().orElseThrow().sites().get(0).site());
    assertTrue(html.contains("1 September 2025 to 31 August 2026"), "the period in words");
    assertTrue(html.contains(">Jan 2026<") && html.contains(">Aug 2026<"), "a bar per month, each labelled");
  }
}
