package org.schoolgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.schoolgate.testing.TestPostgres;

/** {@link PostgresStore} keeps the same contract as SQLite, on a real PostgreSQL (a database of its own per test). */
class PostgresStoreTest extends StoreContract {
  private String url;

  @Override
  protected Store open(String site) throws Exception {
    if (url == null) {
      url = TestPostgres.shared().newDatabase();
    }
    return PostgresStore.open(url, TestPostgres.USER, TestPostgres.PASSWORD, site);
  }

  @Test
  void aNewDatabaseGetsEveryMigrationAndTheConsoleIndexes() throws Exception {
    try (Connection c = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
         Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
        rs.next();
        assertTrue(rs.getInt(1) >= 2);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE indexname IN "
          + "('events_ts', 'events_kind_ts', 'events_client_ts', 'audit_ts')")) {
        rs.next();
        assertEquals(4, rs.getInt(1));
      }
    }
  }

  @Test
  void aDatabaseFromANewerSchoolgateIsRefusedNotMisread() throws Exception {
    try (Connection c = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
         Statement s = c.createStatement()) {
      s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
          + "installed_by, execution_time, success) VALUES (1000, '999', 'from the future', 'SQL', 'V999__future.sql', 0, "
          + "'test', 1, true)");
    }
    IOException e = assertThrows(IOException.class, this::open);
    assertTrue(e.getMessage().contains("newer than this schoolgate"), e.getMessage());
  }

  @Test
  void anotherHandleHearsACommittedChangeAtOnceAndNeverARolledBackOne() throws Exception {
    BlockingQueue<Set<String>> heard = new LinkedBlockingQueue<>();
    Store other = open();
    try {
      other.follow(heard::add);
      assertEquals(Store.EVERYTHING, heard.poll(30, TimeUnit.SECONDS), "everything, once it is following");
      assertThrows(CompletionException.class, () -> store.transaction(ops -> {
        ops.rules().addBlock(block("rolled-back.example", "why"));
        ops.changed(Store.Changed.RULES);
        throw new IllegalStateException("no");
      }).join());
      long start = System.nanoTime();
      store.transaction(ops -> {
        ops.rules().addBlock(block("example.com", "why"));
        ops.changed(Store.Changed.RULES);
        ops.changed(Store.Changed.DEVICES);
        return null;
      }).join();
      assertEquals(Set.of(Store.Changed.RULES, Store.Changed.DEVICES), heard.poll(30, TimeUnit.SECONDS));
      System.out.printf("change feed: heard %.0f ms after the commit%n", (System.nanoTime() - start) / 1e6);
      assertEquals(null, heard.poll(), "the rolled-back change was never announced");
    } finally {
      other.close();
    }
  }

  @Test
  void aDatabaseThatIsNotThereIsUnavailableNotBroken() throws Exception {
    store.close();
    try (TestPostgres own = TestPostgres.start()) {
      String ownUrl = own.newDatabase();
      try (Store s = PostgresStore.open(ownUrl, TestPostgres.USER, TestPostgres.PASSWORD, "test-site")) {
        s.transaction(ops -> ops.rules().addBlock(block("example.com", "why"))).join();
        own.stopServer();
        CompletionException e = assertThrows(CompletionException.class, () -> s.blocks().join());
        assertInstanceOf(StoreUnavailableException.class, e.getCause(), String.valueOf(e.getCause()));
        own.startServer();
        // no back-off to wait out: the first transaction after the database is back connects afresh
        assertEquals(1, s.blocks().join().size(), "the store reconnects on its first transaction once the database is back");
      }
      try (Store s = PostgresStore.open(ownUrl, TestPostgres.USER, TestPostgres.PASSWORD, "test-site")) {
        BlockingQueue<Set<String>> heard = new LinkedBlockingQueue<>();
        s.follow(heard::add);
        assertEquals(Store.EVERYTHING, heard.poll(30, TimeUnit.SECONDS));
        own.stopServer();
        own.startServer();
        assertEquals(Store.EVERYTHING, heard.poll(60, TimeUnit.SECONDS), "after a reconnection, everything is reread");
      }
    }
  }
}
