package org.schoolgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The SQL, one small method per statement. Every method runs inside a {@link Database} transaction. */
public final class Tables {
  private Tables() {}

  private static PreparedStatement bind(Connection c, String sql, Object... args) throws SQLException {
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

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = bind(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  static long insert(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = bind(c, sql, args)) {
      ps.executeUpdate();
      try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
        return rs.getLong(1);
      }
    }
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static <T> List<T> query(Connection c, RowMapper<T> mapper, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
      return out;
    }
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }

  // ---- users ----

  private static final RowMapper<Rows.User> USER = rs -> new Rows.User(rs.getString("name"), rs.getString("role"),
      rs.getBytes("salt"), rs.getBytes("hash"), rs.getInt("iterations"), rs.getString("created_at"));

  public static List<Rows.User> users(Connection c) throws SQLException {
    return query(c, USER, "SELECT * FROM users ORDER BY name");
  }

  public static Rows.User user(Connection c, String name) throws SQLException {
    List<Rows.User> u = query(c, USER, "SELECT * FROM users WHERE name = ?", name);
    return u.isEmpty() ? null : u.get(0);
  }

  public static void putUser(Connection c, Rows.User u) throws SQLException {
    update(c, "INSERT INTO users (name, role, salt, hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(name) DO UPDATE SET role = excluded.role, salt = excluded.salt, hash = excluded.hash, "
        + "iterations = excluded.iterations", u.name(), u.role(), u.salt(), u.hash(), u.iterations(), u.createdAt());
  }

  public static boolean removeUser(Connection c, String name) throws SQLException {
    return update(c, "DELETE FROM users WHERE name = ?", name) > 0;
  }

  // ---- blocks and allows ----

  private static final RowMapper<Rows.Block> BLOCK = rs -> new Rows.Block(rs.getString("domain"), rs.getString("reason"),
      rs.getString("added_by"), rs.getString("added_at"), nullableLong(rs, "report_id"));

  public static List<Rows.Block> blocks(Connection c) throws SQLException {
    return query(c, BLOCK, "SELECT * FROM blocks ORDER BY domain");
  }

  public static List<Rows.Block> allows(Connection c) throws SQLException {
    return query(c, BLOCK, "SELECT * FROM allows ORDER BY domain");
  }

  /** Inserts unless present; returns the stored row and whether it was new. */
  public record Put(Rows.Block row, boolean created) {}

  public static Put putBlock(Connection c, String table, Rows.Block b) throws SQLException {
    List<Rows.Block> existing = query(c, BLOCK, "SELECT * FROM " + table + " WHERE domain = ?", b.domain());
    if (!existing.isEmpty()) {
      return new Put(existing.get(0), false);
    }
    update(c, "INSERT INTO " + table + " (domain, reason, added_by, added_at, report_id) VALUES (?, ?, ?, ?, ?)",
        b.domain(), b.reason(), b.addedBy(), b.addedAt(), b.reportId());
    return new Put(b, true);
  }

  public static boolean removeBlock(Connection c, String table, String domain) throws SQLException {
    return update(c, "DELETE FROM " + table + " WHERE domain = ?", domain) > 0;
  }

  // ---- reports ----

  private static final RowMapper<Rows.Report> REPORT = rs -> new Rows.Report(rs.getLong("id"), rs.getString("url"),
      rs.getString("host"), rs.getString("kind"), rs.getString("note"), rs.getString("status"),
      rs.getString("created_by"), rs.getString("created_at"), rs.getString("decided_by"), rs.getString("decided_at"),
      rs.getString("decision_reason"));

  public static long addReport(Connection c, String url, String host, String kind, String note, String by, String at)
      throws SQLException {
    return insert(c, "INSERT INTO reports (url, host, kind, note, status, created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
        url, host, kind, note, by, at);
  }

  public static Rows.Report report(Connection c, long id) throws SQLException {
    List<Rows.Report> r = query(c, REPORT, "SELECT * FROM reports WHERE id = ?", id);
    return r.isEmpty() ? null : r.get(0);
  }

  public static List<Rows.Report> reports(Connection c, String status) throws SQLException {
    return status == null ? query(c, REPORT, "SELECT * FROM reports ORDER BY id DESC")
        : query(c, REPORT, "SELECT * FROM reports WHERE status = ? ORDER BY id DESC", status);
  }

  public static void decideReport(Connection c, long id, String status, String by, String at, String reason) throws SQLException {
    update(c, "UPDATE reports SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?",
        status, by, at, reason, id);
  }

  // ---- overrides ----

  private static final RowMapper<Rows.OverrideRow> OVERRIDE = rs -> new Rows.OverrideRow(rs.getLong("id"),
      rs.getString("grp"), rs.getString("client"), split(rs.getString("categories")), split(rs.getString("domains")),
      rs.getString("until"), rs.getString("reason"), rs.getString("created_by"), rs.getString("created_at"));

  public static long addOverride(Connection c, Rows.OverrideRow o) throws SQLException {
    return insert(c, "INSERT INTO overrides (grp, client, categories, domains, until, reason, created_by, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", o.group(), o.client(), String.join(",", o.categories()),
        String.join(",", o.domains()), o.until(), o.reason(), o.createdBy(), o.createdAt());
  }

  public static List<Rows.OverrideRow> overrides(Connection c) throws SQLException {
    return query(c, OVERRIDE, "SELECT * FROM overrides WHERE deleted_at IS NULL ORDER BY id");
  }

  public static boolean deleteOverride(Connection c, long id, String at) throws SQLException {
    return update(c, "UPDATE overrides SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at, id) > 0;
  }

  // ---- audit ----

  public static void audit(Connection c, String ts, String user, String action, String target, String reason)
      throws SQLException {
    update(c, "INSERT INTO audit (ts, user, action, target, reason) VALUES (?, ?, ?, ?, ?)", ts, user, action, target, reason);
  }

  public static List<Rows.Audit> audit(Connection c, int limit) throws SQLException {
    return query(c, rs -> new Rows.Audit(rs.getLong("id"), rs.getString("ts"), rs.getString("user"), rs.getString("action"),
        rs.getString("target"), rs.getString("reason")), "SELECT * FROM audit ORDER BY id DESC LIMIT ?", limit);
  }

  // ---- circumvention events and devices ----

  public static void addEvent(Connection c, Rows.Event e) throws SQLException {
    update(c, "INSERT INTO events (ts, client, grp, kind, host, detail, mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.ts(), e.client(), e.group(), e.kind(), e.host(), e.detail(), e.mac());
  }

  public static List<Rows.Event> events(Connection c, String kind, String client, String since, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT * FROM events WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (kind != null) {
      sql.append(" AND kind = ?");
      args.add(kind);
    }
    if (client != null) {
      sql.append(" AND client = ?");
      args.add(client);
    }
    if (since != null) {
      sql.append(" AND ts >= ?");
      args.add(since);
    }
    sql.append(" ORDER BY ts DESC, id DESC LIMIT ?");
    args.add(limit);
    return query(c, rs -> new Rows.Event(rs.getLong("id"), rs.getString("ts"), rs.getString("client"), rs.getString("grp"),
        rs.getString("kind"), rs.getString("host"), rs.getString("detail"), rs.getString("mac")), sql.toString(), args.toArray());
  }

  public static int deleteEventsBefore(Connection c, String ts) throws SQLException {
    return update(c, "DELETE FROM events WHERE ts < ?", ts);
  }

  private static final RowMapper<Rows.Device> DEVICE = rs -> new Rows.Device(rs.getString("address"), rs.getString("since"),
      rs.getInt("attempts"), split(rs.getString("kinds")), rs.getString("mode"), rs.getString("mac"));

  public static List<Rows.Device> devices(Connection c) throws SQLException {
    return query(c, DEVICE, "SELECT * FROM devices ORDER BY since DESC");
  }

  public static void putDevice(Connection c, Rows.Device d) throws SQLException {
    update(c, "INSERT INTO devices (address, since, attempts, kinds, mode, mac) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(address) DO UPDATE SET attempts = excluded.attempts, kinds = excluded.kinds, mac = excluded.mac",
        d.address(), d.since(), d.attempts(), String.join(",", d.kinds()), d.mode(), d.mac());
  }

  public static boolean removeDevice(Connection c, String address) throws SQLException {
    return update(c, "DELETE FROM devices WHERE address = ?", address) > 0;
  }
}
