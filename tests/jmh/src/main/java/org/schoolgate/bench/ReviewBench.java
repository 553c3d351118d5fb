package org.schoolgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.review.Review;
import org.schoolgate.store.Rows;
import org.schoolgate.store.SqliteStore;
import org.schoolgate.store.Store;

/**
 * What the review costs (SPEC section 11, target 2 s): the page built and rendered from a year of
 * counters (365 days x 2 groups x 3 categories x 40 sites, in SQLite). The figure ReviewTest
 * used to time and bound on the wall clock; that test now checks only what the page says.
 *
 * <pre>java -jar tests/jmh/target/benchmarks.jar ReviewBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ReviewBench {
  private static final String YAML = """
      timezone: Europe/London
      listen: {proxy: 127.0.0.1:0}
      networks: {pupils: [10.10.0.0/16], staff: [10.20.0.0/16]}
      default_group: pupils
      timetable: {days: [MON, TUE, WED, THU, FRI], school_day: "08:45-15:15", breaks: ["12:00-13:00"]}
      groups:
        pupils: {block: [social, chat, circumvention]}
        staff: {block: [circumvention], block_in_lessons: [social]}
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      """;
  private static final LocalDate FIRST = LocalDate.parse("2025-09-01");

  private Path dir;
  private Store store;
  private Config config;

  @Setup(Level.Trial)
  public void fill() throws Exception {
    dir = Files.createTempDirectory("review-bench");
    Files.createDirectories(dir.resolve("blocklists"));
    for (String c : List.of("social", "chat", "circumvention")) {
      Files.writeString(dir.resolve("blocklists/" + c + ".txt"), c + "-example.com\n");
    }
    Files.writeString(dir.resolve("schoolgate.yaml"), YAML);
    config = ConfigLoader.load(dir.resolve("schoolgate.yaml"));
    store = SqliteStore.open(dir.resolve("data"));
    store.transaction(ops -> {
      for (int d = 0; d < 365; d++) {
        List<Rows.Count> day = new ArrayList<>();
        for (String group : List.of("pupils", "staff")) {
          for (String category : List.of("social", "chat", "circumvention")) {
            for (int s = 0; s < 40; s++) {
              day.add(new Rows.Count(FIRST.plusDays(d).toString(), group, category, "site" + s + "." + category + ".test",
                  "block", 1 + s));
            }
          }
        }
        ops.counters().add(day);
      }
      return null;
    }).join();
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public String yearOfCounters() throws Exception {
    return Review.render(Review.build(store, config, FIRST, FIRST.plusDays(364), Instant.parse("2026-09-01T08:00:00Z"), null));
  }
}
