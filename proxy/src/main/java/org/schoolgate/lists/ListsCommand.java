package org.schoolgate.lists;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import org.schoolgate.config.Config;
import org.schoolgate.log.Timestamps;

/**
 * {@code java -jar schoolgate.jar lists [--config PATH]}: each subscription's state as
 * {@code data_dir} records it (no fetch, no connection). Exit 0 when every enabled subscription
 * has a good copy, else 1.
 */
public final class ListsCommand {
  private ListsCommand() {}

  public static int run(Config config, Clock clock, PrintStream out) {
    Subscriptions subs = new Subscriptions(config.lists(), config.dataDir(), config.timezone(), clock, new Random(),
        null);
    int missing = 0;
    if (config.lists().subscriptions().isEmpty()) {
      out.println("no list subscriptions (lists.subscriptions in " + config.file() + ")");
    }
    for (ListStatus s : subs.statuses()) {
      out.println(s.name() + ": " + s.state());
      out.println("  url: " + s.url() + " (" + s.format() + ")");
      out.println("  licence: " + (s.licence().isEmpty() ? "not stated" : s.licence()));
      out.println("  enabled: " + s.enabled());
      out.println("  last attempt: " + when(s.lastAttempt(), config));
      out.println("  last success: " + when(s.lastSuccess(), config));
      if (s.lastError() != null) {
        out.println("  last error: " + s.lastError());
      }
      if (s.etag() != null) {
        out.println("  etag: " + s.etag());
      }
      if (s.sha256() != null) {
        out.println("  sha256: " + s.sha256());
      }
      s.entries().forEach((category, n) -> out.println("  entries " + category + ": " + n));
      if (s.enabled()) {
        out.println("  next attempt: " + when(s.nextAttempt(), config));
      }
      if (s.enabled() && !s.hasCopy()) {
        missing++;
      }
    }
    if (missing > 0) {
      out.println(missing + " enabled subscription(s) without a good copy");
      return 1;
    }
    return 0;
  }

  private static String when(Instant t, Config config) {
    return t == null ? "never" : Timestamps.format(t, config.timezone());
  }
}
