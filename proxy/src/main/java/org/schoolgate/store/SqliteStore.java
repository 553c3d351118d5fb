package org.schoolgate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.schoolgate.values.Threads;

/**
 * The store in {@code data_dir/schoolgate.db}: SQLite with a WAL journal and
 * {@code synchronous=FULL}, so a committed transaction has been fsynced and survives
 * {@code kill -9} or a power cut. One connection, used only from one thread
 * ("schoolgate-store"), so no database work ever runs on an event loop and no two transactions
 * interleave. The schema is {@link SchemaMigrations}'; the SQL is {@link SqlOps}'.
 */
public final class SqliteStore implements Store {
  private final Connection connection;
  private final SqlOps ops;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.daemon("schoolgate-store"));

  private SqliteStore(Connection connection, String site) {
    this.connection = connection;
    this.ops = new SqlOps(connection, site, false);
  }

  /** Opens (creating it if need be) the database in {@code dataDir} and brings its schema up to date. */
  public static SqliteStore open(Path dataDir) throws IOException {
    return open(dataDir, null);
  }

  /** As {@link #open(Path)}; {@code site} is written on the reports, events and audit rows added through it. */
  public static SqliteStore open(Path dataDir, String site) throws IOException {
    Files.createDirectories(dataDir);
    Connection c = null;
    try {
      String url = "jdbc:sqlite:" + dataDir.resolve("schoolgate.db").toAbsolutePath();
      SchemaMigrations.migrateSqlite(url);
      c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
      }
      c.setAutoCommit(false);
      return new SqliteStore(c, site);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IOException("cannot open the database in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public <T> CompletableFuture<T> transaction(Function<Ops, T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        T result = work.apply(ops);
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

  /** The store thread itself: a task there cannot interleave with a transaction or another task. */
  @Override
  public Executor ordered() {
    return thread;
  }

  @Override
  public void close() {
    Threads.stop(thread, false);
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException e) {
      // closing: nothing left to protect
    }
  }
}
