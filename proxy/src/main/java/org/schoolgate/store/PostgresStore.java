package org.schoolgate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store a trust's gateways share: PostgreSQL, through a small HikariCP pool (which replaces
 * a connection the database dropped). Transactions run one after another on one thread
 * ("schoolgate-store"), as {@link SqliteStore}'s do, so their order is the order submitted and
 * no database work runs on an event loop. A commit returns once PostgreSQL has flushed it
 * ({@code synchronous_commit} on, its default). The schema is {@link SchemaMigrations}'; the SQL
 * is {@link SqlOps}', the same as SQLite's.
 */
public final class PostgresStore implements Store {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PostgresStore.class);
  /** How long a transaction waits for a connection before the database counts as away. */
  static final long CONNECTION_TIMEOUT_MS = 2_000;

  private final HikariDataSource pool;
  private final String url;
  private final String user;
  private final String password;
  private final String site;
  private PostgresChangeFeed feed;
  private final Object migration = new Object();
  private boolean migrated; // guarded by migration
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "schoolgate-store");
    t.setDaemon(true);
    return t;
  });

  private PostgresStore(HikariDataSource pool, String url, String user, String password, String site) {
    this.pool = pool;
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
    HikariDataSource pool = null;
    try {
      pool = new HikariDataSource(config(url, user, password));
      PostgresStore store = new PostgresStore(pool, url, user, password, site);
      try {
        store.ensureMigrated();
      } catch (StoreUnavailableException e) {
        if (!mayBeAway) {
          throw e;
        }
        log.warn("the database {} cannot be reached ({}); starting without it", url, e.getMessage());
      }
      return store;
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw new IOException("cannot open the database " + url + ": " + e.getMessage(), e);
    }
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
        SchemaMigrations.migratePostgresql(pool);
        migrated = true;
      } catch (SQLException e) {
        throw away(e) ? new StoreUnavailableException(e) : new StoreException(e);
      }
    }
  }

  static HikariConfig config(String url, String user, String password) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("schoolgate-db");
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setMaximumPoolSize(2); // the store thread's, and one more while Hikari replaces a broken one
    c.setMinimumIdle(1);
    c.setAutoCommit(false);
    c.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    c.setInitializationFailTimeout(-1); // a gateway may start while the database is away
    c.setValidationTimeout(1_000);
    c.setKeepaliveTime(60_000);
    // A dead network must not hang the store thread: give up on a connect after 5 s and on a
    // silent socket after 30 s; the transaction fails (503 for an admin change) and is not kept.
    c.addDataSourceProperty("connectTimeout", "5");
    c.addDataSourceProperty("socketTimeout", "30");
    c.addDataSourceProperty("tcpKeepAlive", "true");
    c.addDataSourceProperty("ApplicationName", "schoolgate");
    return c;
  }

  @Override
  public <T> CompletableFuture<T> transaction(Function<Ops, T> work) {
    return CompletableFuture.supplyAsync(() -> {
      ensureMigrated();
      try (Connection c = pool.getConnection()) {
        try {
          T result = work.apply(new SqlOps(c, site, true));
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollback(c);
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

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters; a broken connection is evicted by the pool
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
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }
}
