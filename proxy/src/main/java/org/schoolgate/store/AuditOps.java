package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/** The audit trail inside a {@link Store#transaction}: who changed what, appended with the change itself. */
public final class AuditOps extends Sql {
  private static final RowMapper<Rows.Audit> AUDIT = rs -> new Rows.Audit(rs.getLong("id"), rs.getString("ts"),
      rs.getString("user"), rs.getString("action"), Rows.cut(rs.getString("target")), Rows.cut(rs.getString("reason")),
      rs.getString("site"));
  /** An audit row's columns, its texts cut (rows written before notes were bounded may be huge). */
  private static final String COLUMNS = "SELECT id, ts, \"user\", action, " + Rows.head("target") + ", "
      + Rows.head("reason") + ", site FROM audit";

  /** This gateway's site, written on the rows it appends (null: none). */
  private final String site;

  AuditOps(Connection c, String site) {
    super(c);
    this.site = site;
  }

  /** {@code "user"} is quoted because PostgreSQL reserves it. */
  public void append(String ts, String user, String action, String target, String reason) {
    update("INSERT INTO audit (ts, \"user\", action, target, reason, site) VALUES (?, ?, ?, ?, ?, ?)", ts, user, action,
        target, reason, site);
  }

  /** Newest first, at most {@code limit}, with ids below {@code before} (0: from the newest); {@code bySite} null for every site's. */
  public List<Rows.Audit> page(long before, int limit, String bySite) {
    Where w = new Where().and("site", bySite).and("id < ?", before, before > 0);
    return query(AUDIT, COLUMNS + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(limit));
  }

  /** The first {@code limit} rows with a timestamp from {@code from} (inclusive) to {@code until} (exclusive), oldest first. */
  public List<Rows.Audit> between(String from, String until, int limit) {
    return query(AUDIT, COLUMNS + " WHERE ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?", from, until, limit);
  }

  /** How many rows {@link #between} would give without a limit. */
  public long countBetween(String from, String until) {
    return number("SELECT count(*) FROM audit WHERE ts >= ? AND ts < ?", from, until);
  }
}
