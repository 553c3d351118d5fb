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
  protected Store open() throws IOException {
    return SqliteStore.open(dataDir);
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

  /**
   * {@code schema-v1.db} was written by the schoolgate before the store interface (its
   * {@code Database} and {@code Tables}), with a row or more in every table. It must open, read back
   * every row, and be brought forward to the current version keeping every table as it was.
   */
  @Test
  void aDatabaseWrittenBySchemaVersionOneOpensReadsBackAndIsBroughtForward(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("schoolgate.db");
    try (InputStream in = SqliteStoreTest.class.getResourceAsStream("schema-v1.db")) {
      Files.copy(in, db);
    }
    List<String> before = schema(db);
    assertEquals("user_version 1", before.get(0));
    try (Store old = SqliteStore.open(dir)) {
      assertEquals(List.of("badsite.example", "gore.example"), old.blocks().join().stream().map(Rows.Block::domain).toList());
      assertEquals(1L, old.blocks().join().get(1).reportId());
      assertEquals("wiki.example", old.transaction(Store.Ops::allows).join().get(0).domain());
      assertEquals(List.of("open"), old.reports("open").join().stream().map(Rows.Report::status).toList());
      assertEquals("violent", old.transaction(ops -> ops.report(1)).join().decisionReason());
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
      Rows.Report filed = old.transaction(ops -> ops.fileReport("https://x.example/", "x.example", "unblock", "", "head",
          "2026-11-24T09:00:00Z")).join();
      assertEquals(4, filed.id(), "ids carry on from the stored ones");
    }
    List<String> after = schema(db);
    assertEquals("user_version " + SqliteSchema.current(), after.get(0), "brought forward to this version");
    assertTrue(after.containsAll(before.subList(1, before.size())), "every table and index of version 1 kept as it was");
    assertTrue(after.stream().anyMatch(l -> l.contains("events_kind_ts")), "version 2's indexes added: " + after);
  }

  @Test
  void aDatabaseFromANewerSchoolgateIsRefusedNotMisread(@TempDir Path dir) throws Exception {
    try (Store s = SqliteStore.open(dir)) {
      s.users().join();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("schoolgate.db"));
         Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = " + (SqliteSchema.current() + 1));
    }
    IOException e = assertThrows(IOException.class, () -> SqliteStore.open(dir));
    assertTrue(e.getMessage().contains("newer than this schoolgate"), e.getMessage());
  }

  @Test
  void aNewDatabaseIsAtTheCurrentVersion() throws Exception {
    store.users().join();
    assertEquals("user_version " + SqliteSchema.current(), schema(dataDir.resolve("schoolgate.db")).get(0));
  }
}
