package org.schoolgate.lists;

import java.time.Clock;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.schoolgate.alert.Alerts;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.log.Timestamps;
import org.schoolgate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a subscription's fetch does to the rest of the gateway: the swap (the blocklist watcher's
 * reload, the one path every list change takes), an audit row per swap (user {@code lists},
 * action {@code lists.update}), and the alert of kind {@code lists} after 3 days without a good fetch.
 */
public final class ListEvents implements Subscriptions.Hooks {
  private static final Logger log = LoggerFactory.getLogger(ListEvents.class);

  private final BooleanSupplier reload;
  private final Store store;
  private final Consumer<AuditRecord> auditLog;
  private final Alerts alerts;
  private final Clock clock;
  private final ZoneId zone;

  public ListEvents(BooleanSupplier reload, Store store, Consumer<AuditRecord> auditLog, Alerts alerts, Clock clock,
                    ZoneId zone) {
    this.reload = reload;
    this.store = store;
    this.auditLog = auditLog;
    this.alerts = alerts;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public boolean swap() {
    return reload.getAsBoolean();
  }

  @Override
  public void swapped(String subscription, String reason) {
    String ts = Timestamps.format(clock.instant(), zone);
    AuditRecord record = new AuditRecord(ts, "lists", "lists.update", subscription, reason);
    try {
      store.transaction(ops -> {
        ops.audit().append(ts, record.user(), record.action(), record.target(), record.reason());
        return null;
      }).join();
    } catch (RuntimeException e) {
      log.warn("list {}: the audit row could not be stored: {}", subscription, e.getMessage());
    }
    auditLog.accept(record);
  }

  @Override
  public void stale(String subscription, String sentence) {
    if (!alerts.sends("lists")) {
      log.warn("{}", sentence);
      return;
    }
    try {
      store.transaction(ops -> alerts.raise(ops, new Alerts.Occurrence("lists", clock.instant(), "", null, "", sentence,
          subscription))).join();
      alerts.wake();
    } catch (RuntimeException e) {
      log.warn("list {}: the alert could not be stored: {}", subscription, e.getMessage());
    }
  }
}
