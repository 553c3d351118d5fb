package org.schoolgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The one connection {@link PostgresStore}'s thread runs its transactions on (they run one after
 * another, so one is all it needs). Opened when first needed; checked with a round trip before
 * use once it has sat idle for {@link #CHECK_AFTER_IDLE_NANOS}; and when it breaks (the database
 * restarted, the network dropped it) it is thrown away and the next transaction opens a new one
 * at once. No back-off of its own: the first transaction after the database is back connects
 * (a pool's growing back-off kept a gateway from its database seconds after it was back). Used
 * only on the store's thread.
 */
final class StoreConnection implements AutoCloseable {
  /** A connection idle this long is checked before it is trusted with a transaction. */
  static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final String url;
  private final Properties properties;
  private Connection connection;
  private long lastUsed;

  StoreConnection(String url, String user, String password) {
    this.url = url;
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    // A dead network must not hang the store thread: give up on a connect after 2 s and on a
    // silent socket after 30 s; the transaction fails (503 for an admin change) and is not kept.
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("loginTimeout", "5");
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "schoolgate");
  }

  /** The connection to run a transaction on (auto-commit off), opened or replaced as needed. */
  Connection get() throws SQLException {
    if (connection != null && System.nanoTime() - lastUsed > CHECK_AFTER_IDLE_NANOS && !alive(connection)) {
      broken();
    }
    if (connection == null) {
      Connection c = DriverManager.getConnection(url, properties);
      c.setAutoCommit(false);
      connection = c;
    }
    lastUsed = System.nanoTime();
    return connection;
  }

  private static boolean alive(Connection c) {
    try {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Throws the connection away (it failed); the next {@link #get} opens another. */
  void broken() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // it is broken already
      }
    }
  }

  @Override
  public void close() {
    broken();
  }
}
