package org.schoolgate.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema, versioned with SQLite's own {@code PRAGMA user_version}: migration {@code n}
 * (counting from 1) takes a database from version {@code n - 1} to {@code n}, each in its own
 * transaction. A database written by an older schoolgate opens and is brought forward; one written
 * by a newer schoolgate is refused rather than misread.
 */
final class SqliteSchema {
  /**
   * Applied in order; the index + 1 is the schema version. Never edit one that shipped: databases
   * in the field were made by its exact text (add a new migration instead).
   */
  static final List<String> MIGRATIONS = List.of(
      """
      CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,
                          iterations INTEGER NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE blocks (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                           report_id INTEGER);
      CREATE TABLE allows (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                           report_id INTEGER);
      CREATE TABLE reports (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL,
                            note TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                            decided_by TEXT, decided_at TEXT, decision_reason TEXT);
      CREATE TABLE overrides (id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT, client TEXT, categories TEXT NOT NULL,
                              domains TEXT NOT NULL, until TEXT NOT NULL, reason TEXT NOT NULL, created_by TEXT NOT NULL,
                              created_at TEXT NOT NULL, deleted_at TEXT);
      CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
                          target TEXT NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, client TEXT NOT NULL, grp TEXT NOT NULL,
                           kind TEXT NOT NULL, host TEXT NOT NULL, detail TEXT NOT NULL, mac TEXT);
      CREATE INDEX events_ts ON events (ts);
      CREATE TABLE devices (address TEXT PRIMARY KEY, since TEXT NOT NULL, attempts INTEGER NOT NULL, kinds TEXT NOT NULL,
                            mode TEXT NOT NULL, mac TEXT);
      """,
      // 2: the web console's filters and its chart per day and kind read indexes only (SPEC 8: 300 ms at 100,000 events)
      """
      CREATE INDEX events_kind_ts ON events (kind, ts);
      CREATE INDEX events_client_ts ON events (client, ts);
      """,
      // 3: safeguarding (SPEC 11): the alerts outbox, written in the transaction of what caused each; device names;
      //    counters per day, group, category and site for the annual review (site '' for allowed requests)
      """
      CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                           device TEXT NOT NULL, mac TEXT, name TEXT, grp TEXT NOT NULL, ts TEXT NOT NULL,
                           last_ts TEXT NOT NULL, count INTEGER NOT NULL, what TEXT NOT NULL, ref TEXT, link TEXT,
                           state TEXT NOT NULL, attempts INTEGER NOT NULL, next_try INTEGER NOT NULL, mailed_at TEXT,
                           posted_at TEXT, delivered_at TEXT, last_error TEXT);
      CREATE INDEX alerts_due ON alerts (state, next_try);
      CREATE INDEX alerts_device_kind ON alerts (device, kind, id);
      CREATE INDEX alerts_ts ON alerts (ts);
      CREATE TABLE device_names (device TEXT PRIMARY KEY, name TEXT NOT NULL, set_by TEXT NOT NULL, set_at TEXT NOT NULL);
      CREATE TABLE counters (day TEXT NOT NULL, grp TEXT NOT NULL, category TEXT NOT NULL, site TEXT NOT NULL,
                             decision TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, grp, category, site, decision));
      CREATE INDEX audit_ts ON audit (ts);
      """);

  private SqliteSchema() {}

  /** The version this schoolgate writes. */
  static int current() {
    return MIGRATIONS.size();
  }

  static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
      return rs.getInt(1);
    }
  }

  /** Brings the database on {@code c} (auto-commit off) to {@link #current()}. */
  static void migrate(Connection c) throws SQLException {
    int version = version(c);
    if (version > MIGRATIONS.size()) {
      throw new SQLException("the database has schema version " + version + ", newer than this schoolgate ("
          + MIGRATIONS.size() + "); use the newer release");
    }
    for (int v = version; v < MIGRATIONS.size(); v++) {
      try (Statement s = c.createStatement()) {
        for (String sql : MIGRATIONS.get(v).split(";")) {
          if (!sql.isBlank()) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version = " + (v + 1));
      }
      c.commit();
    }
  }
}
