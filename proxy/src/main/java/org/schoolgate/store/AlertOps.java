package org.schoolgate.store;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/**
 * The safeguarding alerts inside a {@link Store#transaction} (SPEC 11): an outbox, written with
 * their cause, delivered later. {@code fold_key} is what, with the device and the kind, makes an
 * occurrence a repeat of an alert (the site for a category alert, the reported host and reporter
 * for a report). A delivery's next try is stored as epoch milliseconds.
 */
public final class AlertOps extends Sql {
  private static final RowMapper<Rows.Alert> ALERT = rs -> new Rows.Alert(rs.getLong("id"), rs.getString("uid"),
      rs.getString("kind"), rs.getString("device"), rs.getString("mac"), rs.getString("name"), rs.getString("grp"),
      rs.getString("ts"), rs.getString("last_ts"), rs.getInt("count"), rs.getString("what"), rs.getString("ref"),
      rs.getString("link"), rs.getString("state"), rs.getInt("attempts"), rs.getLong("next_try"), rs.getString("mailed_at"),
      rs.getString("posted_at"), rs.getString("delivered_at"), rs.getString("last_error"), rs.getString("site"));

  /** This gateway's site, written on the alerts it adds (null: none). */
  private final String site;

  AlertOps(Connection c, String site) {
    super(c);
    this.site = site;
  }

  /**
   * Adds an alert (its id is ignored) and returns it with its new id; {@code foldKey} is what, with
   * its device and kind, makes a later occurrence a repeat of it ({@link #latest}).
   */
  public Rows.Alert add(Rows.Alert a, String foldKey) {
    long id = insert("INSERT INTO alerts (uid, kind, device, mac, name, grp, ts, last_ts, count, what, ref, link, state, "
        + "attempts, next_try, mailed_at, posted_at, delivered_at, last_error, site, fold_key) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.uid(), a.kind(), a.device(),
        a.mac(), a.name(), a.group(), a.ts(), a.lastTs(), a.count(), a.what(), a.ref(), a.link(), a.state(), a.attempts(),
        a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(), a.lastError(), site, foldKey);
    return first(query(ALERT, "SELECT * FROM alerts WHERE id = ?", id));
  }

  /** An alert nothing else folds into. */
  public Rows.Alert add(Rows.Alert draft) {
    return add(draft, "");
  }

  /** The newest alert of {@code kind} for {@code device} added with {@code foldKey}, or null. */
  public Rows.Alert latest(String device, String kind, String foldKey) {
    return first(query(ALERT, "SELECT * FROM alerts WHERE device = ? AND kind = ? AND fold_key = ? ORDER BY id DESC LIMIT 1",
        device, kind, foldKey));
  }

  /**
   * Folds one more occurrence into an alert: its count goes up by one and {@code lastTs} is kept;
   * its text becomes {@code what} unless that is null.
   */
  public void fold(long id, String lastTs, String what) {
    if (what == null) {
      update("UPDATE alerts SET count = count + 1, last_ts = ? WHERE id = ?", lastTs, id);
    } else {
      update("UPDATE alerts SET count = count + 1, last_ts = ?, what = ? WHERE id = ?", lastTs, what, id);
    }
  }

  /** Folds one more occurrence, its text kept. */
  public void fold(long id, String lastTs) {
    fold(id, lastTs, null);
  }

  /** How many alerts of {@code kind} this gateway added at or after {@code ts}, those with {@code summaryKey} left out. */
  public long countSince(String kind, String ts, String summaryKey) {
    return site == null
        ? number("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ?", kind, ts, summaryKey)
        : number("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ? AND site = ?", kind, ts,
            summaryKey, site);
  }

  /** Newest first, at most {@code limit}; {@code from}/{@code until} (timestamps, until exclusive) and {@code bySite} may be null. */
  public List<Rows.Alert> list(String from, String until, int limit, String bySite) {
    Where w = new Where().and("ts >= ?", from, true).and("ts < ?", until, true).and("site", bySite);
    return query(ALERT, "SELECT * FROM alerts" + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(limit));
  }

  /** Pending alerts whose next try is at or before {@code now}, oldest first. */
  public List<Rows.Alert> due(Instant now, int limit) {
    return query(ALERT, "SELECT * FROM alerts WHERE state = 'pending' AND next_try <= ? ORDER BY id LIMIT ?",
        now.toEpochMilli(), limit);
  }

  /** The earliest next try of a pending alert, or null when none is pending. */
  public Instant nextDue() {
    long n = number("SELECT coalesce(min(next_try), -1) FROM alerts WHERE state = 'pending'");
    return n < 0 ? null : Instant.ofEpochMilli(n);
  }

  /** Records a delivery try: state, attempts, next try, the channels that have it, the last error. */
  public void updateDelivery(Rows.Alert a) {
    update("UPDATE alerts SET state = ?, attempts = ?, next_try = ?, mailed_at = ?, posted_at = ?, delivered_at = ?, "
        + "last_error = ? WHERE id = ?", a.state(), a.attempts(), a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(),
        a.lastError(), a.id());
  }
}
