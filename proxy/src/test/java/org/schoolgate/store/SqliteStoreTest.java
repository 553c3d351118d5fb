package org.schoolgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteStore} keeps the contract, and opens the databases schoolgate has already written. */
class SqliteStoreTest extends StoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected Store open(String site) throws IOException {
    return SqliteStore.open(dataDir, site);
  }

  /** The schema text and version, as SQLite itself records them. */
  private static List<String> schema(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement s = c.createStatement()) {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        out.add("user_version " + rs.getInt(1));
      }
      try (ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY name")) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3));
        }
      }
      return out;
    }
  }

  /** The newest version in Flyway's history, or 0. */
  private static int flywayVersion(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
      return rs.getInt(1);
    }
  }

  /**
   * {@code schema-v1.db} was written by the schoolgate before the store interface (its
   * {@code Database} and {@code Tables}), with a row or more in every table, by schoolgate's own
   * migration runner (version 1 in {@code PRAGMA user_version}). It must upgrade in place: every
   * table it had keeps its columns and every row reads back; Flyway baselines it at version 1 and
   * applies what came after.
   */
  @Test
  void aDatabaseWrittenBySchemaVersionOneUpgradesWithoutLoss(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("schoolgate.db");
    try (InputStream in = SqliteStoreTest.class.getResourceAsStream("schema-v1.db")) {
      Files.copy(in, db);
    }
    List<String> before = schema(db);
    assertEquals("user_version 1", before.get(0));
    try (Store old = SqliteStore.open(dir)) {
      assertEquals(List.of("badsite.example", "gore.example"), old.blocks().join().stream().map(Rows.Block::domain).toList());
      assertEquals(1L, old.blocks().join().get(1).reportId());
      assertEquals("wiki.example", old.transaction(ops -> ops.rules().allows()).join().get(0).domain());
      assertEquals(List.of("open"), old.reports("open").join().stream().map(Rows.Report::status).toList());
      assertEquals("violent", old.transaction(ops -> ops.reports().get(1)).join().decisionReason());
      assertEquals(1, old.overrides().join().size(), "the one ended early is not listed");
      assertEquals(List.of("media-sharing"), old.overrides().join().get(0).categories());
      assertEquals(List.of("approve-report-block", "block"), old.audit(10).join().stream().map(Rows.Audit::action).toList());
      assertEquals(3, old.events(Store.EventQuery.latest(10)).join().size());
      assertEquals("aa:bb:cc:dd:ee:ff", old.events(new Store.EventQuery("connect-port", null, null, 1)).join().get(0).mac());
      Rows.Device d = old.devices().join().get(0);
      assertEquals(List.of("connect-port", "no-sni"), d.kinds());
      assertEquals("lockdown", d.mode());
      Rows.User head = old.user("head").join();
      assertTrue(Passwords.matches("correct horse battery".toCharArray(), head.salt(), head.iterations(), head.hash()));
      assertEquals(List.of("head", "ms.jones"), old.users().join().stream().map(Rows.User::name).toList());
      Rows.Report filed = old.transaction(ops -> ops.reports().file("https://x.example/", "x.example", "unblock", "", "head",
          "2026-11-24T09:00:00Z")).join();
      assertEquals(4, filed.id(), "ids carry on from the stored ones");
    }
    List<String> after = schema(db);
    for (String table : before.subList(1, before.size())) {
      // kept as it was, but for columns added at its end (ALTER TABLE ADD COLUMN rewrites the text so)
      String stem = table.endsWith(")") ? table.substring(0, table.length() - 1) : table;
      assertTrue(after.stream().anyMatch(a -> a.startsWith(stem)), "kept as it was: " + table);
    }
    assertTrue(after.stream().anyMatch(a -> a.startsWith("table events: ") && a.contains(", site TEXT")
        && a.endsWith(", user_name TEXT)")), after.toString()); // V13 adds the user (SPEC 15)
    assertTrue(after.contains("index audit_ts: CREATE INDEX audit_ts ON audit (ts)"), after.toString());
    assertTrue(after.contains("index events_kind_ts: CREATE INDEX events_kind_ts ON events (kind, ts)"), after.toString());
    int version = flywayVersion(db);
    assertTrue(version > 1, "migrated past the baseline: " + version);
    assertEquals("user_version " + version, after.get(0), "an older schoolgate sees a newer database and refuses it");
    try (Store again = SqliteStore.open(dir)) {
      assertEquals(2, again.blocks().join().size(), "opening it again changes nothing");
    }
    assertEquals(after, schema(db));
  }

  /** A database the old runner made at its last version (empty: a school that had just installed it). */
  @Test
  void anEmptyDatabaseOfTheOldRunnersLastVersionUpgrades(@TempDir Path dir) throws Exception {
    String v1 = new String(SqliteStoreTest.class.getResourceAsStream("/db/migration/sqlite/V1__schema.sql").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
         Statement s = c.createStatement()) {
      for (String sql : v1.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!sql.isBlank()) {
          s.execute(sql);
        }
      }
      s.execute("PRAGMA user_version = " + SchemaMigrations.LAST_HAND_ROLLED);
    }
    try (Store s = SqliteStore.open(dir)) {
      s.transaction(ops -> ops.rules().addBlock(block("example.com", "why"))).join();
      assertEquals(1, s.blocks().join().size());
    }
    assertTrue(flywayVersion(dir.resolve("schoolgate.db")) > SchemaMigrations.LAST_HAND_ROLLED);
  }

  @Test
  void aDatabaseFromANewerSchoolgateIsRefusedNotMisread(@TempDir Path dir) throws Exception {
    try (Store s = SqliteStore.open(dir)) {
      s.users().join();
    }
    int version = flywayVersion(dir.resolve("schoolgate.db"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
         Statement s = c.createStatement()) {
      s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
          + "installed_by, installed_on, execution_time, success) VALUES (1000, '" + (version + 1) + "', 'from the future', "
          + "'SQL', 'V" + (version + 1) + "__future.sql', 0, 'test', '2027-01-01 00:00:00', 1, 1)");
    }
    IOException e = assertThrows(IOException.class, () -> SqliteStore.open(dir));
    assertTrue(e.getMessage().contains("newer than this schoolgate"), e.getMessage());
  }

  @Test
  void aHandRolledDatabaseFromANewerSchoolgateIsRefused(@TempDir Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (name TEXT PRIMARY KEY)");
      s.execute("PRAGMA user_version = " + (SchemaMigrations.LAST_HAND_ROLLED + 1));
    }
    IOException e = assertThrows(IOException.class, () -> SqliteStore.open(dir));
    assertTrue(e.getMessage().contains("newer than this schoolgate"), e.getMessage());
  }

  @Test
  void aNewDatabaseIsAtTheCurrentVersion() throws Exception {
    store.users().join();
    Path db = dataDir.resolve("schoolgate.db");
    assertEquals("user_version " + flywayVersion(db), schema(db).get(0));
    assertTrue(schema(db).contains("index events_client_ts: CREATE INDEX events_client_ts ON events (client, ts)"));
  }
}
