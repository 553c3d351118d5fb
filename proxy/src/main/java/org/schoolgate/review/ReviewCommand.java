package org.schoolgate.review;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.schoolgate.config.Config;
import org.schoolgate.values.DateBounds;
import org.schoolgate.store.Store;
import org.schoolgate.store.Stores;

/**
 * {@code review --from YYYY-MM-DD --to YYYY-MM-DD --out FILE}: writes the annual review page to a
 * file for governors, with its style sheet inside so it opens and prints anywhere. Reads the
 * store in {@code data_dir} (SQLite lets it read while the server runs).
 */
public final class ReviewCommand {
  /** The longest period one review covers, as the console's {@code /review}. */
  public static final int MAX_DAYS = 3 * 366;

  private ReviewCommand() {}

  /** Exit status: 0 written, 2 usage, 1 cannot read or write. */
  public static int run(Config config, List<String> args, Clock clock, PrintStream out, PrintStream err) {
    String from = option(args, "--from");
    String to = option(args, "--to");
    String file = option(args, "--out");
    if (from == null || to == null || file == null) {
      err.println("usage: java -jar schoolgate.jar review --from YYYY-MM-DD --to YYYY-MM-DD --out review.html [--config PATH]");
      return 2;
    }
    LocalDate first = DateBounds.date(from);
    LocalDate last = DateBounds.date(to);
    if (first == null || last == null) {
      err.println("--from and --to are dates like 2025-09-01, from " + DateBounds.FIRST_YEAR + " to " + DateBounds.LAST_YEAR + ": "
          + (first == null ? from : to) + " is not one");
      return 2;
    }
    if (last.isBefore(first)) {
      err.println("--to (" + to + ") is before --from (" + from + ")");
      return 2;
    }
    if (first.plusDays(MAX_DAYS).isBefore(last)) {
      err.println("a review covers three years at most: " + from + " to " + to + " is longer");
      return 2;
    }
    Store opened;
    try {
      opened = Stores.open(config, false); // the configured store: a trust's review reads the trust's database
    } catch (IOException e) {
      err.println("cannot open the store: " + e.getMessage());
      return 1;
    }
    try (Store store = opened) {
      org.schoolgate.console.ReviewView.Page page = Review.build(store, config, first, last, clock.instant(), Review.styleSheet());
      Path target = Path.of(file);
      Files.writeString(target, Review.render(page), StandardCharsets.UTF_8);
      out.println("wrote the review of " + page.period() + " to " + target.toAbsolutePath());
      return 0;
    } catch (IOException e) {
      err.println("cannot write the review: " + e.getMessage());
      return 1;
    }
  }

  private static String option(List<String> args, String name) {
    int at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
  }
}
