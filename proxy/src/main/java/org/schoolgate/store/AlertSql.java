package org.schoolgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts outbox's SQL (SPEC 11), for {@link SqlOps}: the same statements on SQLite and
 * PostgreSQL. {@code fold_key} is what, with the device and the kind, makes an occurrence a
 * repeat of an alert (the site for a category alert, the reported host and reporter for a report).
 */
final class AlertSql {
  private final Connection c;
  private final String site;

  AlertSql(Connection c, String site) {
    this.c = c;
    this.site = site;
  }

  private static Rows.Alert row(ResultSet rs) throws SQLException {
    return new Rows.Alert(rs.getLong("id"), rs.getString("uid"), rs.getString("kind"), rs.getString("device"),
        rs.getString("mac"), rs.getString("name"), rs.getString("grp"), rs.getString("ts"), rs.getString("last_ts"),
        rs.getInt("count"), rs.getString("what"), rs.getString("ref"), rs.getString("link"), rs.getString("state"),
        rs.getInt("attempts"), rs.getLong("next_try"), rs.getString("mailed_at"), rs.getString("posted_at"),
        rs.getString("delivered_at"), rs.getString("last_error"), rs.getString("site"));
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, args[i]);
      }
    }
    return ps;
  }

  private List<Rows.Alert> query(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
      List<Rows.Alert> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private long number(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private void update(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args)) {
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private static Rows.Alert first(List<Rows.Alert> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  Rows.Alert add(Rows.Alert a, String foldKey) {
    long id = number("INSERT INTO alerts (uid, kind, device, mac, name, grp, ts, last_ts, count, what, ref, link, state, "
        + "attempts, next_try, mailed_at, posted_at, delivered_at, last_error, site, fold_key) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", a.uid(), a.kind(), a.device(),
        a.mac(), a.name(), a.group(), a.ts(), a.lastTs(), a.count(), a.what(), a.ref(), a.link(), a.state(), a.attempts(),
        a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(), a.lastError(), site, foldKey);
    return first(query("SELECT * FROM alerts WHERE id = ?", id));
  }

  Rows.Alert latest(String device, String kind, String foldKey) {
    return first(query("SELECT * FROM alerts WHERE device = ? AND kind = ? AND fold_key = ? ORDER BY id DESC LIMIT 1",
        device, kind, foldKey));
  }

  void fold(long id, String lastTs, String what) {
    if (what == null) {
      update("UPDATE alerts SET count = count + 1, last_ts = ? WHERE id = ?", lastTs, id);
    } else {
      update("UPDATE alerts SET count = count + 1, last_ts = ?, what = ? WHERE id = ?", lastTs, what, id);
    }
  }

  /** Alerts of {@code kind} this gateway raised from {@code ts} on, summaries ({@code fold_key} {@code summaryKey}) left out. */
  long countSince(String kind, String ts, String summaryKey) {
    String bySite = site == null ? "" : " AND site = ?";
    return site == null
        ? number("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ?" + bySite, kind, ts, summaryKey)
        : number("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ?" + bySite, kind, ts, summaryKey,
            site);
  }

  List<Rows.Alert> list(String from, String until, int limit, String bySite) {
    Where w = new Where().and("ts >= ?", from, true).and("ts < ?", until, true).and("site", bySite);
    return query("SELECT * FROM alerts" + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(limit));
  }

  List<Rows.Alert> due(long nowMillis, int limit) {
    return query("SELECT * FROM alerts WHERE state = 'pending' AND next_try <= ? ORDER BY id LIMIT ?", nowMillis, limit);
  }

  /** The earliest next try of a pending alert (epoch milliseconds), or null when none is pending. */
  Long nextDue() {
    long n = number("SELECT coalesce(min(next_try), -1) FROM alerts WHERE state = 'pending'");
    return n < 0 ? null : n;
  }

  void delivery(Rows.Alert a) {
    update("UPDATE alerts SET state = ?, attempts = ?, next_try = ?, mailed_at = ?, posted_at = ?, delivered_at = ?, "
        + "last_error = ? WHERE id = ?", a.state(), a.attempts(), a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(),
        a.lastError(), a.id());
  }
}
