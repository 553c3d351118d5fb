package org.schoolgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.TestPostgres;

/**
 * The SQLite and PostgreSQL migration folders describe the same changes: a fresh database of
 * each engine, migrated to the end, has the same tables, the same columns (name, kind of type,
 * nullability), the same primary keys and the same indexes, except the tables declared in
 * {@link #POSTGRESQL_ONLY}. Their version numbers differ (PostgreSQL's V3 has no SQLite twin,
 * so PostgreSQL's V4-V7 are SQLite's V3-V6), which is why the schemas are compared rather than
 * the file names: a column added to one folder only fails here.
 */
class MigrationParityTest {
  /** Tables only PostgreSQL has, and why. */
  static final Map<String, String> POSTGRESQL_ONLY = Map.of(
      "changes", "postgresql/V3__change_feed.sql: the change feed between gateways sharing one database (SPEC 12); "
          + "a SQLite store is nobody else's, so it has no one to tell");
  /** Flyway's own bookkeeping, and SQLite's AUTOINCREMENT counters. */
  private static final Set<String> NOT_OURS = Set.of("flyway_schema_history", "sqlite_sequence");

  @TempDir
  Path dir;

  @Test
  void bothEnginesMigrateToTheSameSchema() throws Exception {
    String sqliteUrl = "jdbc:sqlite:" + dir.resolve("parity.db");
    SchemaMigrations.migrateSqlite(sqliteUrl);
    String pgUrl = TestPostgres.shared().newDatabase();
    PostgresStore.open(pgUrl, TestPostgres.USER, TestPostgres.PASSWORD, null).close();

    Map<String, List<String>> sqlite;
    Map<String, List<String>> postgres;
    try (Connection c = DriverManager.getConnection(sqliteUrl)) {
      sqlite = describe(c);
    }
    try (Connection c = DriverManager.getConnection(pgUrl, TestPostgres.USER, TestPostgres.PASSWORD)) {
      postgres = describe(c);
    }
    for (String table : POSTGRESQL_ONLY.keySet()) {
      assertTrue(postgres.remove(table) != null, "declared PostgreSQL-only, but PostgreSQL has no table " + table);
      assertFalse(sqlite.containsKey(table), "declared PostgreSQL-only, but SQLite has table " + table);
    }
    assertEquals(sqlite.keySet(), postgres.keySet(), "the tables of sqlite/ (expected) and postgresql/ (actual) differ");
    for (String table : sqlite.keySet()) {
      assertEquals(sqlite.get(table), postgres.get(table),
          "table " + table + ": sqlite/ (expected) and postgresql/ (actual) migrations describe it differently");
    }
  }

  /** Each table of ours: its columns in order, its primary key, its indexes (by name, or by columns for implicit ones). */
  private static Map<String, List<String>> describe(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    Set<String> tables = new TreeSet<>();
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if ((schema == null || schema.equals("public")) && !NOT_OURS.contains(name)) {
          tables.add(name);
        }
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    for (String table : tables) {
      List<String> primaryKey = primaryKey(md, table);
      List<String> lines = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, null, table, "%")) {
        while (rs.next()) {
          String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
          // SQLite lets a TEXT primary key hold NULL unless told otherwise; PostgreSQL never does
          boolean nullable = "YES".equals(rs.getString("IS_NULLABLE")) && !primaryKey.contains(column);
          lines.add("column " + column + " " + kind(rs.getString("TYPE_NAME")) + (nullable ? " null" : " not null"));
        }
      }
      lines.add("primary key " + primaryKey);
      lines.addAll(indexes(md, table, primaryKey));
      out.put(table, lines);
    }
    return out;
  }

  private static List<String> primaryKey(DatabaseMetaData md, String table) throws SQLException {
    Map<Integer, String> columns = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(null, null, table)) {
      while (rs.next()) {
        columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(columns.values());
  }

  /**
   * Named indexes by name and columns; the ones an engine makes for a UNIQUE column by their
   * columns only (SQLite names them sqlite_autoindex_*, PostgreSQL *_key); the primary key's own
   * index is left out (SQLite has none for an INTEGER PRIMARY KEY).
   */
  private static Set<String> indexes(DatabaseMetaData md, String table, List<String> primaryKey) throws SQLException {
    Map<String, Map<Integer, String>> columns = new TreeMap<>();
    Map<String, Boolean> unique = new TreeMap<>();
    try (ResultSet rs = md.getIndexInfo(null, null, table, false, false)) {
      while (rs.next()) {
        String name = rs.getString("INDEX_NAME");
        String column = rs.getString("COLUMN_NAME");
        if (name == null || column == null) {
          continue;
        }
        columns.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new TreeMap<>())
            .put(rs.getInt("ORDINAL_POSITION"), column.toLowerCase(Locale.ROOT));
        unique.put(name.toLowerCase(Locale.ROOT), !rs.getBoolean("NON_UNIQUE"));
      }
    }
    Set<String> out = new TreeSet<>();
    for (var e : columns.entrySet()) {
      List<String> on = List.copyOf(e.getValue().values());
      boolean implicit = e.getKey().startsWith("sqlite_autoindex_") || e.getKey().endsWith("_pkey")
          || e.getKey().endsWith("_key");
      if (implicit && on.equals(primaryKey)) {
        continue;
      }
      out.add((unique.get(e.getKey()) ? "unique index " : "index ") + (implicit ? "" : e.getKey() + " ") + on);
    }
    return out;
  }

  /** The kind of a column's type, as both engines spell it (SQLite: as declared; PostgreSQL: int8, bytea...). */
  private static String kind(String type) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "text", "varchar" -> "text";
      case "integer", "bigint", "int", "int4", "int8", "bigserial", "serial" -> "integer";
      case "blob", "bytea" -> "bytes";
      case "timestamptz" -> "timestamp";
      default -> type.toLowerCase(Locale.ROOT);
    };
  }
}
