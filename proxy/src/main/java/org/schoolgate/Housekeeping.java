package org.schoolgate;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.schoolgate.config.Config;
import org.schoolgate.identity.Identities;
import org.schoolgate.store.Store;
import org.schoolgate.supervision.Supervision;
import org.schoolgate.values.Threads;

/** The gateway's periodic upkeep, on the housekeeping thread: retention, queued events, session ends. */
final class Housekeeping {
  private Housekeeping() {}

  /** @param identities null when there is no {@code identity} section */
  /** The housekeeping thread (also the neighbour table's): one daemon thread. */
  static ScheduledExecutorService thread() {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Threads.daemon("schoolgate-housekeeping"));
  }

  static void schedule(ScheduledExecutorService on, Config config, Clock clock, Store store, Supervision supervision,
                       Identities identities) {
    // Stored circumvention events follow the log retention; checked at start and every hour.
    on.scheduleWithFixedDelay(() -> supervision.expire(Duration.ofDays(config.logRetentionDays())), 0, 1, TimeUnit.HOURS);
    if (identities != null) { // session_max, by the injected clock
      on.scheduleWithFixedDelay(identities::expire, 10, 10, TimeUnit.SECONDS);
    }
    // Events that waited on disk while the database was away are sent when it is back (a no-op otherwise).
    on.scheduleWithFixedDelay(supervision::retryQueued, 5, 5, TimeUnit.SECONDS);
    // The review's counters too (SPEC 11: retention as the logs')
    on.scheduleWithFixedDelay(() -> {
      String first = LocalDate.ofInstant(clock.instant(), config.timezone()).minusDays(config.logRetentionDays()).toString();
      store.transaction(ops -> ops.counters().deleteBefore(first));
    }, 0, 1, TimeUnit.HOURS);
  }
}
