package org.schoolgate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The SQLite database in {@code data_dir}: WAL journal with {@code synchronous=FULL}, so a
 * committed transaction has been fsynced and survives {@code kill -9} or a power cut. One
 * connection, used only from one thread ("schoolgate-store"), so no database work ever runs on
 * an event loop and no two transactions interleave.
 */
public final class Database implements AutoCloseable {
  /** Schema migrations, applied in order; the index + 1 is the schema version. Never edit one that shipped. */
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
      """);

  private final Connection connection;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "schoolgate-store");
    t.setDaemon(true);
    return t;
  });

  /** A unit of work on the connection, inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public Database(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("schoolgate.db").toAbsolutePath());
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
      }
      connection.setAutoCommit(false);
      migrate();
    } catch (SQLException e) {
      throw new IOException("cannot open the database in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void migrate() throws SQLException {
    int version;
    try (Statement s = connection.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.getInt(1);
    }
    if (version > MIGRATIONS.size()) {
      throw new SQLException("the database has schema version " + version + ", newer than this schoolgate ("
          + MIGRATIONS.size() + "); use the newer release");
    }
    for (int v = version; v < MIGRATIONS.size(); v++) {
      try (Statement s = connection.createStatement()) {
        for (String sql : MIGRATIONS.get(v).split(";")) {
          if (!sql.isBlank()) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version = " + (v + 1));
      }
      connection.commit();
    }
  }

  /** Runs {@code work} in a transaction on the store thread; the future completes after the commit is on disk. */
  public <T> CompletableFuture<T> submit(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException e) {
        rollback();
        throw new StoreException(e);
      } catch (RuntimeException e) {
        rollback(); // else the next transaction's commit would keep this one's writes
        throw e;
      }
    }, thread);
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
  }

  /**
   * The store thread, for work that must follow a commit in order (publishing the new rules):
   * run there, it can never interleave with another transaction or another publish.
   */
  public java.util.concurrent.Executor thread() {
    return thread;
  }

  /** The same, waiting for the result (command line, start-up). */
  public <T> T run(Work<T> work) {
    try {
      return submit(work).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getCause());
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      // closing: nothing left to protect
    }
  }

  /** A database failure, unchecked so it can cross CompletableFuture boundaries. */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
