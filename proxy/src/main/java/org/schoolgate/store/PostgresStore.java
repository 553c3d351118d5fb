package org.schoolgate.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.schoolgate.values.Threads;

/**
 * The store a trust's gateways share: PostgreSQL, on one connection ({@link StoreConnection},
 * replaced at once when the database dropped it). Transactions run one after another on one
 * thread ("schoolgate-store"), as {@link SqliteStore}'s do, so their order is the order submitted
 * and no database work runs on an event loop. A commit returns once PostgreSQL has flushed it
 * ({@code synchronous_commit} on, its default). The schema is {@link SchemaMigrations}'; the SQL
 * is the aggregates' ({@link SqlOps}), the same as SQLite's.
 */
public final class PostgresStore implements Store {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PostgresStore.class);
  /** Used on the store's thread only. */
  private final StoreConnection connection;
  /** For the schema's migrations (Flyway takes a DataSource). */
  private final javax.sql.DataSource migrations;
  private final String url;
  private final String user;
  private final String password;
  private final String site;
  private PostgresChangeFeed feed;
  private final Object migration = new Object();
  private boolean migrated; // guarded by migration
  private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.daemon("schoolgate-store"));

  private PostgresStore(String url, String user, String password, String site) {
    this.connection = new StoreConnection(url, user, password);
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser(user);
    ds.setPassword(password);
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(60);
    this.migrations = ds;
    this.url = url;
    this.user = user;
    this.password = password;
    this.site = site;
  }

  /**
   * Connects to the database at {@code url} (a {@code jdbc:postgresql:} URL) and brings its
   * schema up to date; {@code site} names this gateway in the rows and changes it records.
   *
   * @param mayBeAway when the database cannot be reached: true to open all the same (every
   *     transaction fails with {@link StoreUnavailableException} until it is back, and the schema
   *     is brought up to date then), false to fail
   */
  public static PostgresStore open(String url, String user, String password, String site, boolean mayBeAway)
      throws IOException {
    PostgresStore store;
    try {
      store = new PostgresStore(url, user, password, site);
    } catch (RuntimeException e) {
      throw new IOException("cannot open the database " + url + ": " + e.getMessage(), e);
    }
    try {
      store.ensureMigrated();
    } catch (StoreUnavailableException e) {
      if (!mayBeAway) {
        store.close();
        throw new IOException("cannot open the database " + url + ": " + e.getMessage(), e);
      }
      log.warn("the database {} cannot be reached ({}); starting without it", url, e.getMessage());
    } catch (RuntimeException e) {
      store.close();
      throw new IOException("cannot open the database " + url + ": " + e.getMessage(), e);
    }
    return store;
  }

  /** As {@link #open(String, String, String, String, boolean)}, failing when the database cannot be reached. */
  public static PostgresStore open(String url, String user, String password, String site) throws IOException {
    return open(url, user, password, site, false);
  }

  /**
   * Brings the schema up to date once, on the first transaction that can reach the database
   * (or the change feed's first connection); until then it fails, as transactions do.
   */
  void ensureMigrated() {
    synchronized (migration) {
      if (migrated) {
        return;
      }
      try {
        SchemaMigrations.migratePostgresql(migrations);
        migrated = true;
      } catch (SQLException e) {
        throw away(e) ? new StoreUnavailableException(e) : new StoreException(e);
      }
    }
  }

  @Override
  public <T> CompletableFuture<T> transaction(Function<Ops, T> work) {
    return CompletableFuture.supplyAsync(() -> {
      ensureMigrated();
      try {
        Connection c = connection.get();
        try {
          T result = work.apply(new SqlOps(c, site, true));
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          if (away(e) || !rollback(c)) {
            connection.broken(); // the next transaction connects afresh
          }
          throw e;
        }
      } catch (SQLException e) {
        throw failure(e);
      } catch (StoreException e) {
        throw e.getCause() instanceof SQLException s ? failure(s) : e;
      }
    }, thread);
  }

  /** A lost or refused connection is "unavailable" (try again later); anything else is a plain failure. */
  static StoreException failure(SQLException e) {
    return away(e) ? new StoreUnavailableException(e) : new StoreException(e);
  }

  /** Whether {@code e}, or what caused it, says the database could not be reached or went away. */
  static boolean away(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) {
        return true;
      }
      String state = t instanceof SQLException s ? s.getSQLState() : null;
      if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
          || state.equals("57P03"))) {
        return true;
      }
    }
    return false;
  }

  /** False when even the rollback failed: the connection is not to be trusted again. */
  private static boolean rollback(Connection c) {
    try {
      c.rollback();
      return true;
    } catch (SQLException ignored) {
      return false; // the original failure is what matters
    }
  }

  @Override
  public synchronized void follow(Consumer<Set<String>> onChange) {
    if (feed != null) {
      throw new IllegalStateException("already followed");
    }
    feed = new PostgresChangeFeed(url, user, password, this::ensureMigrated, onChange);
    feed.start();
  }

  @Override
  public Executor ordered() {
    return thread;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (feed != null) {
        feed.close();
      }
    }
    if (Threads.stop(thread, false)) {
      connection.close();
    }
  }
}
