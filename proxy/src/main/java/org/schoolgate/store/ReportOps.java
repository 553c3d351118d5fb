package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/** Reports of wrongly blocked or allowed sites inside a {@link Store#transaction}: filed, listed, decided. */
public final class ReportOps extends Sql {
  private static final RowMapper<Rows.Report> REPORT = rs -> new Rows.Report(rs.getLong("id"), Rows.cut(rs.getString("url")),
      rs.getString("host"), rs.getString("kind"), Rows.cut(rs.getString("note")), rs.getString("status"),
      rs.getString("created_by"), rs.getString("created_at"), rs.getString("decided_by"), rs.getString("decided_at"),
      Rows.cut(rs.getString("decision_reason")), rs.getString("site"));
  /** A report's columns, its texts read no further than {@link Rows#cut} shows: a huge old note never fills the heap. */
  private static final String COLUMNS = "SELECT id, " + Rows.head("url") + ", host, kind, " + Rows.head("note")
      + ", status, created_by, created_at, decided_by, decided_at, " + Rows.head("decision_reason") + ", site FROM reports";

  /** This gateway's site, written on the reports it files (null: none). */
  private final String site;

  ReportOps(Connection c, String site) {
    super(c);
    this.site = site;
  }

  /** Files a report (status {@code open}) and returns it with its new id. */
  public Rows.Report file(String url, String host, String kind, String note, String by, String at) {
    long id = insert("INSERT INTO reports (url, host, kind, note, status, created_by, created_at, site) "
        + "VALUES (?, ?, ?, ?, 'open', ?, ?, ?)", url, host, kind, note, by, at, site);
    return get(id);
  }

  /** The report, or null. */
  public Rows.Report get(long id) {
    return first(query(REPORT, COLUMNS + " WHERE id = ?", id));
  }

  /** Newest first, at most {@code q.limit()}, texts cut ({@link Rows#TEXT_SHOWN}). */
  public List<Rows.Report> page(Store.ReportQuery q) {
    boolean decided = Store.DECIDED.equals(q.status());
    Where w = new Where().and("status", decided ? null : q.status()).and("status <> ?", "open", decided)
        .and("site", q.site()).and("created_by", q.by())
        .and("id < ?", q.before(), q.before() > 0).and("created_at >= ?", q.from(), true).and("created_at < ?", q.until(), true);
    return query(REPORT, COLUMNS + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(q.limit()));
  }

  /** How many reports match {@code q} (its {@code before} and {@code limit} aside). */
  public long count(Store.ReportQuery q) {
    Where w = new Where().and("status", q.status()).and("site", q.site()).and("created_by", q.by())
        .and("created_at >= ?", q.from(), true).and("created_at < ?", q.until(), true);
    return number("SELECT count(*) FROM reports" + w.sql(), w.args());
  }

  /** Records the decision ({@code approved} or {@code dismissed}) on an open report. */
  public void decide(long id, String status, String by, String at, String reason) {
    update("UPDATE reports SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?",
        status, by, at, reason, id);
  }
}
