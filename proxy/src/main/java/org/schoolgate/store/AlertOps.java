package org.schoolgate.store;

import java.util.List;

/** The safeguarding alerts' steps of a {@link Store#transaction} (SPEC 11): an outbox, written with their cause, delivered later. */
public interface AlertOps {
  /**
   * Adds an alert (its id is ignored) and returns it with its new id; {@code foldKey} is what, with
   * its device and kind, makes a later occurrence a repeat of it ({@link #latestAlert}).
   */
  Rows.Alert addAlert(Rows.Alert draft, String foldKey);

  default Rows.Alert addAlert(Rows.Alert draft) {
    return addAlert(draft, "");
  }

  /** The newest alert of {@code kind} for {@code device} added with {@code foldKey}, or null. */
  Rows.Alert latestAlert(String device, String kind, String foldKey);

  /**
   * Folds one more occurrence into an alert: its count goes up by one and {@code lastTs} is kept;
   * its text becomes {@code what} unless that is null.
   */
  void foldAlert(long id, String lastTs, String what);

  default void foldAlert(long id, String lastTs) {
    foldAlert(id, lastTs, null);
  }

  /** How many alerts of {@code kind} this gateway added at or after {@code ts}, those with {@code summaryKey} left out. */
  long countAlertsSince(String kind, String ts, String summaryKey);

  /** Newest first, at most {@code limit}; {@code from}/{@code until} (timestamps, until exclusive) may be null. */
  /** Newest first; {@code site} (a school of the trust) null for all. */
  List<Rows.Alert> alerts(String from, String until, int limit, String site);

  /** Pending alerts whose next try is at or before {@code nowMillis}, oldest first. */
  List<Rows.Alert> dueAlerts(long nowMillis, int limit);

  /** The earliest next try of a pending alert (epoch milliseconds), or null when none is pending. */
  Long nextAlertDue();

  /** Records a delivery try: state, attempts, next try, the channels that have it, the last error. */
  void updateDelivery(Rows.Alert alert);
}
