package org.schoolgate.lists;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.schoolgate.config.Config;

/** The subscriptions on {@code /metrics}: entries in force, the last good fetch, refusals by reason. */
public final class ListMetrics {
  private ListMetrics() {}

  public static void bind(MeterRegistry registry, Subscriptions subs) {
    for (Config.Subscription s : subs.config().subscriptions()) {
      String name = s.name();
      for (String category : s.categories()) {
        Gauge.builder("schoolgate_list_entries", subs, x -> entries(x, name, category))
            .description("domains the subscription's copy in force adds to a category")
            .tag("subscription", name).tag("category", category).register(registry);
      }
      Gauge.builder("schoolgate_list_last_success_timestamp_seconds", subs, x -> lastSuccess(x, name))
          .description("when the subscription was last fetched successfully (a 304 counts), in Unix seconds; 0 for never")
          .tag("subscription", name).register(registry);
      for (String reason : Refusal.REASONS) {
        FunctionCounter.builder("schoolgate_list_fetch_failures", subs, x -> x.failures().get(name).get(reason).sum())
            .description("fetches refused or failed, by subscription and reason (the last good copy stayed in force)")
            .tag("subscription", name).tag("reason", reason).register(registry);
      }
    }
  }

  // one subscription's figures, not every subscription's whole status, for each gauge a scrape reads
  private static double entries(Subscriptions subs, String name, String category) {
    return subs.entries(name).getOrDefault(category, 0);
  }

  private static double lastSuccess(Subscriptions subs, String name) {
    return Math.floorDiv(subs.lastGood(name), 1000L);
  }
}
