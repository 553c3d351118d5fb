package org.schoolgate.admin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this gateway's policy in step with the others of a trust: when the shared store says
 * another gateway changed the admin rules or the supervised devices ({@link Store#follow}), they
 * are reread and put in force here (new snapshot swapped in, tunnels to a newly blocked domain
 * closed, lockdown applied), as a change made here would be.
 */
public final class ChangeFollower {
  private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);

  private ChangeFollower() {}

  /** @param identities null when this gateway has no {@code identity} section */
  public static void follow(Store store, AdminService service, Supervision supervision,
                            org.schoolgate.identity.Identities identities) {
    store.follow(what -> apply(what, service, supervision, identities));
  }

  private static void apply(Set<String> what, AdminService service, Supervision supervision,
                            org.schoolgate.identity.Identities identities) {
    try {
      if (what.contains(Store.Changed.RULES)) {
        logFailure(service.refresh(), "admin rules");
      }
      if (what.contains(Store.Changed.DEVICES)) {
        logFailure(supervision.refresh(), "supervised devices");
      }
      if (identities != null && what.contains(Store.Changed.IDENTITIES)) {
        logFailure(identities.refresh(), "identities");
      }
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // this gateway is closing: nothing left to keep in step
    }
  }

  private static void logFailure(CompletableFuture<Void> done, String what) {
    done.exceptionally(e -> {
      // the feed reports everything again once the database is back, so nothing is lost by this
      log.warn("could not reread the {} another gateway changed: {}", what, e.getMessage());
      return null;
    });
  }
}
