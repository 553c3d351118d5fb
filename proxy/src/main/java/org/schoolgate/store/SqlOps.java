package org.schoolgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All of the stores' SQL, one small method per statement, each run inside the store's
 * transaction on its thread. The same statements run on SQLite and PostgreSQL (both take
 * {@code ON CONFLICT} and {@code RETURNING}; {@code "user"} is quoted because PostgreSQL reserves
 * it). Lists are stored comma-separated.
 */
class SqlOps extends AlertSql implements Store.Ops {
  private final Connection c;
  /** This gateway's site, written on the reports, events and audit rows it adds (null: none). */
  private final String site;
  /** Whether other gateways share the store (PostgreSQL): then {@link #changed} announces changes. */
  private final boolean shared;

  SqlOps(Connection c, String site, boolean shared) {
    super(c, site);
    this.c = c;
    this.site = site;
    this.shared = shared;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, a);
      }
    }
    return ps;
  }

  private int update(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** Runs an INSERT and returns the new row's id. */
  private long insert(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql + " RETURNING id", args); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private <T> List<T> query(RowMapper<T> mapper, String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private static <T> T first(List<T> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }

  // ---- the change feed ----

  @Override
  public void changed(String what) {
    if (!shared) {
      return;
    }
    long id = insert("INSERT INTO changes (site, what) VALUES (?, ?)", site == null ? "" : site, what);
    // delivered at commit, and only if it commits
    query(rs -> null, "SELECT pg_notify(?, ?)", PostgresChangeFeed.CHANNEL, Long.toString(id));
    update("DELETE FROM changes WHERE at < now() - interval '7 days'"); // ids are what matter; keep a week
  }

  // ---- users ----

  private static final RowMapper<Rows.User> USER = rs -> new Rows.User(rs.getString("name"), rs.getString("role"),
      rs.getBytes("salt"), rs.getBytes("hash"), rs.getInt("iterations"), rs.getString("created_at"));

  @Override
  public List<Rows.User> users() {
    return query(USER, "SELECT * FROM users ORDER BY name");
  }

  @Override
  public Rows.User user(String name) {
    return first(query(USER, "SELECT * FROM users WHERE name = ?", name));
  }

  @Override
  public void putUser(Rows.User u) {
    update("INSERT INTO users (name, role, salt, hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(name) DO UPDATE SET role = excluded.role, salt = excluded.salt, hash = excluded.hash, "
        + "iterations = excluded.iterations", u.name(), u.role(), u.salt(), u.hash(), u.iterations(), u.createdAt());
  }

  @Override
  public boolean removeUser(String name) {
    return update("DELETE FROM users WHERE name = ?", name) > 0;
  }

  // ---- blocks and allows ----

  private static final RowMapper<Rows.Block> BLOCK = rs -> new Rows.Block(rs.getString("domain"), rs.getString("reason"),
      rs.getString("added_by"), rs.getString("added_at"), nullableLong(rs, "report_id"), rs.getString("site"));

  @Override
  public IdentityOps identities() {
    return new IdentityOps(c, site == null ? "" : site);
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public List<Rows.Block> blocks() {
    return query(BLOCK, "SELECT * FROM blocks ORDER BY domain");
  }

  @Override
  public List<Rows.Block> allows() {
    return query(BLOCK, "SELECT * FROM allows ORDER BY domain");
  }

  @Override
  public Store.Added addBlock(Rows.Block b) {
    return put("blocks", b);
  }

  @Override
  public Store.Added addAllow(Rows.Block b) {
    return put("allows", b);
  }

  private Store.Added put(String table, Rows.Block b) {
    Rows.Block existing = first(query(BLOCK, "SELECT * FROM " + table + " WHERE domain = ?", b.domain()));
    if (existing != null) {
      return new Store.Added(existing, false);
    }
    update("INSERT INTO " + table + " (domain, reason, added_by, added_at, report_id, site) VALUES (?, ?, ?, ?, ?, ?)",
        b.domain(), b.reason(), b.addedBy(), b.addedAt(), b.reportId(), b.site());
    return new Store.Added(b, true);
  }

  @Override
  public boolean removeBlock(String domain) {
    return update("DELETE FROM blocks WHERE domain = ?", domain) > 0;
  }

  // ---- reports ----

  private static final RowMapper<Rows.Report> REPORT = rs -> new Rows.Report(rs.getLong("id"), Rows.cut(rs.getString("url")),
      rs.getString("host"), rs.getString("kind"), Rows.cut(rs.getString("note")), rs.getString("status"),
      rs.getString("created_by"), rs.getString("created_at"), rs.getString("decided_by"), rs.getString("decided_at"),
      Rows.cut(rs.getString("decision_reason")), rs.getString("site"));
  /** A report's columns, its texts read no further than {@link Rows#cut} shows: a huge old note never fills the heap. */
  private static final String REPORT_COLUMNS = "SELECT id, " + Rows.head("url") + ", host, kind, " + Rows.head("note")
      + ", status, created_by, created_at, decided_by, decided_at, " + Rows.head("decision_reason") + ", site FROM reports";

  @Override
  public Rows.Report fileReport(String url, String host, String kind, String note, String by, String at) {
    long id = insert("INSERT INTO reports (url, host, kind, note, status, created_by, created_at, site) "
        + "VALUES (?, ?, ?, ?, 'open', ?, ?, ?)", url, host, kind, note, by, at, site);
    return report(id);
  }

  @Override
  public Rows.Report report(long id) {
    return first(query(REPORT, REPORT_COLUMNS + " WHERE id = ?", id));
  }

  @Override
  public List<Rows.Report> reportPage(Store.ReportQuery q) {
    Where w = new Where().and("status", q.status()).and("site", q.site()).and("created_by", q.by())
        .and("id < ?", q.before(), q.before() > 0).and("created_at >= ?", q.from(), true).and("created_at < ?", q.until(), true);
    return query(REPORT, REPORT_COLUMNS + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(q.limit()));
  }

  @Override
  public long countReports(Store.ReportQuery q) {
    Where w = new Where().and("status", q.status()).and("site", q.site()).and("created_by", q.by())
        .and("created_at >= ?", q.from(), true).and("created_at < ?", q.until(), true);
    return query(rs -> rs.getLong(1), "SELECT count(*) FROM reports" + w.sql(), w.args()).get(0);
  }

  @Override
  public void decideReport(long id, String status, String by, String at, String reason) {
    update("UPDATE reports SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?",
        status, by, at, reason, id);
  }

  // ---- overrides ----

  private static final RowMapper<Rows.OverrideRow> OVERRIDE = rs -> new Rows.OverrideRow(rs.getLong("id"),
      rs.getString("grp"), rs.getString("client"), split(rs.getString("categories")), split(rs.getString("domains")),
      rs.getString("until"), rs.getString("reason"), rs.getString("created_by"), rs.getString("created_at"));

  @Override
  public Rows.OverrideRow addOverride(Rows.OverrideRow o) {
    long id = insert("INSERT INTO overrides (grp, client, categories, domains, until, reason, created_by, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", o.group(), o.client(), String.join(",", o.categories()),
        String.join(",", o.domains()), o.until(), o.reason(), o.createdBy(), o.createdAt());
    return first(query(OVERRIDE, "SELECT * FROM overrides WHERE id = ?", id));
  }

  @Override
  public List<Rows.OverrideRow> overrides() {
    return query(OVERRIDE, "SELECT * FROM overrides WHERE deleted_at IS NULL ORDER BY id");
  }

  @Override
  public boolean endOverride(long id, String at) {
    return update("UPDATE overrides SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at, id) > 0;
  }

  // ---- audit ----

  @Override
  public void appendAudit(String ts, String user, String action, String target, String reason) {
    update("INSERT INTO audit (ts, \"user\", action, target, reason, site) VALUES (?, ?, ?, ?, ?, ?)", ts, user, action,
        target, reason, site);
  }

  @Override
  public List<Rows.Audit> audit(long before, int limit, String bySite) {
    Where w = new Where().and("site", bySite).and("id < ?", before, before > 0);
    return query(AUDIT, AUDIT_COLUMNS + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(limit));
  }

  private static final RowMapper<Rows.Audit> AUDIT = rs -> new Rows.Audit(rs.getLong("id"), rs.getString("ts"),
      rs.getString("user"), rs.getString("action"), Rows.cut(rs.getString("target")), Rows.cut(rs.getString("reason")),
      rs.getString("site"));
  /** An audit row's columns, its texts cut as {@link #REPORT_COLUMNS}' (rows written before notes were bounded may be huge). */
  private static final String AUDIT_COLUMNS = "SELECT id, ts, \"user\", action, " + Rows.head("target") + ", "
      + Rows.head("reason") + ", site FROM audit";

  // ---- circumvention events and devices ----

  @Override
  public void recordEvents(List<Rows.Event> events) {
    for (Rows.Event e : events) {
      update("INSERT INTO events (ts, client, grp, kind, host, detail, mac, site, user_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          e.ts(), e.client(), e.group(), e.kind(), e.host(), e.detail(), e.mac(), e.site() != null ? e.site() : site,
          e.user());
    }
  }

  @Override
  public List<Rows.Event> events(Store.EventQuery q) {
    Where w = new Where().and("kind", q.kind()).and("client", q.client()).and("ts >= ?", q.since(), true)
        .and("site", q.site());
    return query(rs -> new Rows.Event(rs.getLong("id"), rs.getString("ts"), rs.getString("client"), rs.getString("grp"),
        rs.getString("kind"), rs.getString("host"), rs.getString("detail"), rs.getString("mac"), rs.getString("site"),
        rs.getString("user_name")),
        "SELECT * FROM events" + w.sql() + " ORDER BY ts DESC, id DESC LIMIT ?", w.args(q.limit()));
  }

  @Override
  public long countEvents(String kind, String from, String until) {
    return query(rs -> rs.getLong(1), "SELECT count(*) FROM events WHERE kind = ? AND ts >= ? AND ts < ?", kind, from, until)
        .get(0);
  }

  @Override
  public int deleteEventsBefore(String ts) {
    return update("DELETE FROM events WHERE ts < ?", ts);
  }

  private static final RowMapper<Rows.Device> DEVICE = rs -> new Rows.Device(rs.getString("address"), rs.getString("since"),
      rs.getInt("attempts"), split(rs.getString("kinds")), rs.getString("mode"), rs.getString("mac"));

  @Override
  public List<Rows.Device> devices() {
    return query(DEVICE, "SELECT * FROM devices ORDER BY since DESC");
  }

  @Override
  public void putDevice(Rows.Device d) {
    update("INSERT INTO devices (address, since, attempts, kinds, mode, mac) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(address) DO UPDATE SET attempts = excluded.attempts, kinds = excluded.kinds, mac = excluded.mac",
        d.address(), d.since(), d.attempts(), String.join(",", d.kinds()), d.mode(), d.mac());
  }

  @Override
  public boolean removeDevice(String address) {
    return update("DELETE FROM devices WHERE address = ?", address) > 0;
  }

  // ---- device names ----

  private static final RowMapper<Rows.DeviceName> NAME = rs -> new Rows.DeviceName(rs.getString("device"),
      rs.getString("name"), rs.getString("set_by"), rs.getString("set_at"));

  @Override
  public void nameDevice(Rows.DeviceName n) {
    update("INSERT INTO device_names (device, name, set_by, set_at) VALUES (?, ?, ?, ?) ON CONFLICT(device) DO UPDATE "
        + "SET name = excluded.name, set_by = excluded.set_by, set_at = excluded.set_at", n.device(), n.name(), n.setBy(),
        n.setAt());
  }

  @Override
  public Rows.DeviceName deviceName(String device) {
    return first(query(NAME, "SELECT * FROM device_names WHERE device = ?", device));
  }

  @Override
  public List<Rows.DeviceName> deviceNames() {
    return query(NAME, "SELECT * FROM device_names ORDER BY device");
  }

  // ---- counters and the review ----

  @Override
  public void addCounts(List<Rows.Count> counts) {
    for (Rows.Count k : counts) {
      update("INSERT INTO counters (day, grp, category, site, decision, n) VALUES (?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT(day, grp, category, site, decision) DO UPDATE SET n = counters.n + excluded.n",
          k.day(), k.group(), k.category(), k.site(), k.decision(), k.n());
    }
  }

  @Override
  public List<Rows.Count> countTotals(String fromDay, String toDay) {
    return query(rs -> new Rows.Count(null, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)),
        "SELECT grp, category, site, decision, sum(n) FROM counters WHERE day >= ? AND day <= ? "
            + "GROUP BY grp, category, site, decision", fromDay, toDay);
  }

  @Override
  public int deleteCountsBefore(String day) {
    return update("DELETE FROM counters WHERE day < ?", day);
  }

  @Override
  public List<Rows.Audit> auditBetween(String from, String until, int limit) {
    return query(AUDIT, AUDIT_COLUMNS + " WHERE ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?", from, until, limit);
  }

  @Override
  public long countAuditBetween(String from, String until) {
    return query(rs -> rs.getLong(1), "SELECT count(*) FROM audit WHERE ts >= ? AND ts < ?", from, until).get(0);
  }
}
