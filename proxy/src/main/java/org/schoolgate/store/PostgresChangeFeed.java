package org.schoolgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the changes other gateways commit, on a thread and a connection of its own: {@code LISTEN
 * schoolgate_changes} wakes it at once when one commits (no polling), and the {@code changes}
 * table's ids say which it has not applied yet. Every 10 s without a notification it checks
 * that the connection is alive with the same query. When the connection is lost it tries again
 * every {@value #RETRY_MS} ms (a refused connection costs nothing; a database that does not
 * answer is given 5 s), so it listens again as soon as the database is back, and then reports
 * {@link Store#EVERYTHING}: what changed while it was away is read afresh rather than trusted to
 * the notifications it missed.
 */
final class PostgresChangeFeed implements AutoCloseable {
  static final String CHANNEL = "schoolgate_changes";
  private static final Logger log = LoggerFactory.getLogger(PostgresChangeFeed.class);
  private static final int WAIT_MS = 1_000;
  private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final long RETRY_MS = 250;

  private final String url;
  private final Properties properties;
  private final Consumer<Set<String>> onChange;
  private final Runnable beforeFollowing;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;
  private long lastSeen = -1;

  /** @param beforeFollowing run on each connection before it listens (the schema must be there) */
  PostgresChangeFeed(String url, String user, String password, Runnable beforeFollowing,
                     Consumer<Set<String>> onChange) {
    this.beforeFollowing = beforeFollowing;
    this.url = url;
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "schoolgate-changes");
    this.onChange = onChange;
    this.thread = new Thread(this::run, "schoolgate-changes");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    boolean wasAway = false;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(url, properties)) {
        connection = c;
        beforeFollowing.run();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        lastSeen = newest(c);
        if (wasAway) {
          log.info("the database is back: rereading the shared rules");
        }
        onChange.accept(Store.EVERYTHING); // anything may have changed before LISTEN took hold
        wasAway = false;
        follow(c);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (!wasAway) {
          log.warn("lost the database's change feed ({}); filtering goes on with the rules in force, reconnecting",
              e.getMessage());
        }
        wasAway = true;
        try {
          Thread.sleep(RETRY_MS); // between reconnection attempts, on this thread of its own
        } catch (InterruptedException ie) {
          return;
        }
      } finally {
        connection = null;
      }
    }
  }

  /** Waits for notifications on {@code c} until it fails or the feed is closed. */
  private void follow(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastCheck = System.nanoTime();
    while (!closed) {
      PGNotification[] woken = pg.getNotifications(WAIT_MS);
      boolean due = System.nanoTime() - lastCheck > CHECK_NANOS;
      if ((woken != null && woken.length > 0) || due) {
        lastCheck = System.nanoTime();
        Set<String> what = since(c);
        if (!what.isEmpty()) {
          onChange.accept(Set.copyOf(what));
        }
      }
    }
  }

  private static long newest(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What changed after {@link #lastSeen}, which moves on past it. */
  private Set<String> since(Connection c) throws SQLException {
    Set<String> what = new LinkedHashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, what FROM changes WHERE id > ? ORDER BY id")) {
      ps.setLong(1, lastSeen);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lastSeen = rs.getLong(1);
          what.add(rs.getString(2));
        }
      }
    }
    return what;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
