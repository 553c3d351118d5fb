package org.schoolgate.supervision;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiPredicate;
import org.schoolgate.alert.Alerts;
import org.schoolgate.alert.Inert;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.proxy.Categories;

/**
 * The safeguarding alert of a pupil blocked in one of {@code alerts.categories} (SPEC 11): seen on
 * an event loop (a set look-up only), raised on the supervision thread into the next burst of
 * {@link EventBursts}, so that it is written in the same transaction as the events.
 */
final class CategoryAlerts {
  /** Read on event loops: a blocked request in one of these may be an alert. */
  private final Set<String> categories;
  /** Who is staff ({@link org.schoolgate.config.Config#staff}): never a pupil's alert. */
  private final BiPredicate<InetAddress, String> staff;
  private final EventBursts bursts;
  private final Executor thread;

  CategoryAlerts(Set<String> categories, BiPredicate<InetAddress, String> staff, EventBursts bursts, Executor thread) {
    this.categories = categories;
    this.staff = staff;
    this.bursts = bursts;
    this.thread = thread;
  }

  /** On an event loop: only a set look-up here; a block in an alert category goes to the supervision thread. */
  void access(AccessRecord r) {
    if (r.category() != null && "block".equals(r.decision()) && categories.contains(r.category())) {
      try {
        thread.execute(() -> blocked(r));
      } catch (RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  /** A staff member is never a pupil: they reach the console and are not in the default group (as block pages decide). */
  private void blocked(AccessRecord r) {
    InetAddress client = org.schoolgate.values.HostSyntax.ipAddress(r.client());
    if (client != null && staff.test(client, r.group())) {
      return;
    }
    if (bursts.isEmpty()) {
      thread.execute(bursts::save);
    }
    // the path is the pupil's to choose: inert (percent-encoded, capped); the host makes a repeat (SPEC 11)
    String site = r.host() + Inert.path(r.path(), 200);
    bursts.alert(new Alerts.Occurrence("category", r.ts(), r.client(), r.mac(), r.group(),
        "blocked from " + site + " (" + Categories.plain(r.category()) + ")" + Alerts.signedIn(r.user()),
        r.ref(), r.host()));
  }
}
