package org.schoolgate.supervision;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.schoolgate.rules.AdminService;
import org.schoolgate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.schoolgate.values.Threads;

/**
 * Keeps this gateway's policy in step with the others of a trust: when the shared store says
 * another gateway changed the admin rules or the supervised devices ({@link Store#follow}), they
 * are reread and put in force here (new snapshot swapped in, tunnels to a newly blocked domain
 * closed, lockdown applied), as a change made here would be. A reread that fails (the database
 * came back to the feed before this gateway's own connection to it) is tried again every
 * {@link #RETRY_MILLIS} until it succeeds: a change heard of is never dropped.
 */
public final class ChangeFollower {
  private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
  static final long RETRY_MILLIS = 200;

  private final AdminService service;
  private final Supervision supervision;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("schoolgate-follow-retry"));
  /** What failed to be reread and waits for the next retry (guarded by this). */
  private final Set<String> failed = new HashSet<>();

  private final org.schoolgate.identity.Identities identities;

  private ChangeFollower(AdminService service, Supervision supervision, org.schoolgate.identity.Identities identities) {
    this.service = service;
    this.supervision = supervision;
    this.identities = identities;
  }

  /** @param identities null when this gateway has no {@code identity} section */
  public static void follow(Store store, AdminService service, Supervision supervision,
                            org.schoolgate.identity.Identities identities) {
    ChangeFollower f = new ChangeFollower(service, supervision, identities);
    store.follow(f::apply);
  }

  private void apply(Set<String> what) {
    try {
      if (what.contains(Store.Changed.RULES)) {
        retryOnFailure(service.refresh(), Store.Changed.RULES);
      }
      if (what.contains(Store.Changed.DEVICES)) {
        retryOnFailure(supervision.refresh(), Store.Changed.DEVICES);
      }
      if (identities != null && what.contains(Store.Changed.IDENTITIES)) {
        retryOnFailure(identities.refresh().thenRun(() -> { }), Store.Changed.IDENTITIES);
      }
    } catch (RejectedExecutionException shuttingDown) {
      // this gateway is closing: nothing left to keep in step
    }
  }

  private void retryOnFailure(CompletableFuture<Void> done, String what) {
    done.exceptionally(e -> {
      boolean first;
      synchronized (this) {
        first = failed.add(what);
      }
      if (first) {
        log.warn("could not reread the {} another gateway changed ({}); trying again", what, e.getMessage());
        try {
          retries.schedule(this::retry, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // shutting down
        }
      }
      return null;
    });
  }

  private void retry() {
    Set<String> again;
    synchronized (this) {
      again = Set.copyOf(failed);
      failed.clear();
    }
    apply(again);
  }
}
