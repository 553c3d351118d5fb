package org.schoolgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts outbox's SQL (SPEC 11), which {@link SqlOps} inherits: the same statements on
 * SQLite and PostgreSQL. {@code fold_key} is what, with the device and the kind, makes an occurrence a
 * repeat of an alert (the site for a category alert, the reported host and reporter for a report).
 */
class AlertSql implements AlertOps {
  private final Connection connection;
  private final String alertSite;

  AlertSql(Connection c, String site) {
    this.connection = c;
    this.alertSite = site;
  }

  private static Rows.Alert row(ResultSet rs) throws SQLException {
    return new Rows.Alert(rs.getLong("id"), rs.getString("uid"), rs.getString("kind"), rs.getString("device"),
        rs.getString("mac"), rs.getString("name"), rs.getString("grp"), rs.getString("ts"), rs.getString("last_ts"),
        rs.getInt("count"), rs.getString("what"), rs.getString("ref"), rs.getString("link"), rs.getString("state"),
        rs.getInt("attempts"), rs.getLong("next_try"), rs.getString("mailed_at"), rs.getString("posted_at"),
        rs.getString("delivered_at"), rs.getString("last_error"), rs.getString("site"));
  }

  private PreparedStatement bindAlert(String sql, Object... args) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, args[i]);
      }
    }
    return ps;
  }

  private List<Rows.Alert> alertRows(String sql, Object... args) {
    try (PreparedStatement ps = bindAlert(sql, args); ResultSet rs = ps.executeQuery()) {
      List<Rows.Alert> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private long alertNumber(String sql, Object... args) {
    try (PreparedStatement ps = bindAlert(sql, args); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private void alertUpdate(String sql, Object... args) {
    try (PreparedStatement ps = bindAlert(sql, args)) {
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  private static Rows.Alert firstAlert(List<Rows.Alert> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  @Override
  public Rows.Alert addAlert(Rows.Alert a, String foldKey) {
    long id = alertNumber("INSERT INTO alerts (uid, kind, device, mac, name, grp, ts, last_ts, count, what, ref, link, state, "
        + "attempts, next_try, mailed_at, posted_at, delivered_at, last_error, site, fold_key) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", a.uid(), a.kind(), a.device(),
        a.mac(), a.name(), a.group(), a.ts(), a.lastTs(), a.count(), a.what(), a.ref(), a.link(), a.state(), a.attempts(),
        a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(), a.lastError(), alertSite, foldKey);
    return firstAlert(alertRows("SELECT * FROM alerts WHERE id = ?", id));
  }

  @Override
  public Rows.Alert latestAlert(String device, String kind, String foldKey) {
    return firstAlert(alertRows("SELECT * FROM alerts WHERE device = ? AND kind = ? AND fold_key = ? ORDER BY id DESC LIMIT 1",
        device, kind, foldKey));
  }

  @Override
  public void foldAlert(long id, String lastTs, String what) {
    if (what == null) {
      alertUpdate("UPDATE alerts SET count = count + 1, last_ts = ? WHERE id = ?", lastTs, id);
    } else {
      alertUpdate("UPDATE alerts SET count = count + 1, last_ts = ?, what = ? WHERE id = ?", lastTs, what, id);
    }
  }

  @Override
  public long countAlertsSince(String kind, String ts, String summaryKey) {
    String bySite = alertSite == null ? "" : " AND site = ?";
    return alertSite == null
        ? alertNumber("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ?" + bySite, kind, ts, summaryKey)
        : alertNumber("SELECT count(*) FROM alerts WHERE kind = ? AND ts >= ? AND fold_key <> ?" + bySite, kind, ts, summaryKey,
            alertSite);
  }

  @Override
  public List<Rows.Alert> alerts(String from, String until, int limit, String bySite) {
    Where w = new Where().and("ts >= ?", from, true).and("ts < ?", until, true).and("site", bySite);
    return alertRows("SELECT * FROM alerts" + w.sql() + " ORDER BY id DESC LIMIT ?", w.args(limit));
  }

  @Override
  public List<Rows.Alert> dueAlerts(long nowMillis, int limit) {
    return alertRows("SELECT * FROM alerts WHERE state = 'pending' AND next_try <= ? ORDER BY id LIMIT ?", nowMillis, limit);
  }

  @Override
  public Long nextAlertDue() {
    long n = alertNumber("SELECT coalesce(min(next_try), -1) FROM alerts WHERE state = 'pending'");
    return n < 0 ? null : n;
  }

  @Override
  public void updateDelivery(Rows.Alert a) {
    alertUpdate("UPDATE alerts SET state = ?, attempts = ?, next_try = ?, mailed_at = ?, posted_at = ?, delivered_at = ?, "
        + "last_error = ? WHERE id = ?", a.state(), a.attempts(), a.nextTry(), a.mailedAt(), a.postedAt(), a.deliveredAt(),
        a.lastError(), a.id());
  }
}
