package org.schoolgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of either engine, brought up to date by Flyway from the SQL files under
 * {@code db/migration/sqlite} and {@code db/migration/postgresql} ({@code V<n>__what.sql}; never
 * edit one that shipped: add the next). A database written by a newer schoolgate is refused
 * rather than misread.
 *
 * <p>SQLite databases made before Flyway carry their version in {@code PRAGMA user_version}
 * (schoolgate's own runner went up to {@link #LAST_HAND_ROLLED}); Flyway baselines such a
 * database at that version, so the files after it apply and nothing is lost. After every
 * migration {@code user_version} is set to the Flyway version too, so that an older schoolgate,
 * which reads only {@code user_version}, refuses the newer database.
 */
final class SchemaMigrations {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
  /** The last version schoolgate's own migration runner wrote. */
  static final int LAST_HAND_ROLLED = 1;

  private SchemaMigrations() {}

  /** Brings the SQLite file at {@code url} up to date; returns the version it is at. */
  static int migrateSqlite(String url) throws SQLException {
    int legacy;
    boolean flywayBefore;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        legacy = rs.getInt(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'flyway_schema_history'")) {
        flywayBefore = rs.next();
      }
    }
    if (!flywayBefore && legacy > LAST_HAND_ROLLED) {
      throw newer(legacy, LAST_HAND_ROLLED);
    }
    FluentConfiguration config = configure("sqlite").dataSource(url, null, null);
    if (!flywayBefore && legacy > 0) {
      config.baselineOnMigrate(true).baselineVersion(Integer.toString(legacy))
          .baselineDescription("schoolgate before Flyway, version " + legacy); // Flyway quotes none of it
    }
    int version = migrate(config);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = " + version);
    }
    return version;
  }

  /** Brings the PostgreSQL database behind {@code dataSource} up to date; returns the version it is at. */
  static int migratePostgresql(DataSource dataSource) throws SQLException {
    return migrate(configure("postgresql").dataSource(dataSource));
  }

  private static FluentConfiguration configure(String engine) {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .locations("classpath:db/migration/" + engine)
        .failOnMissingLocations(true)
        .validateMigrationNaming(true);
  }

  private static int migrate(FluentConfiguration config) throws SQLException {
    try {
      Flyway flyway = config.load();
      MigrationInfo[] all = flyway.info().all();
      int ours = 0;
      int theirs = 0;
      for (MigrationInfo m : all) {
        if (m.getVersion() == null) {
          continue;
        }
        int v = m.getVersion().getMajor().intValue();
        if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
          theirs = Math.max(theirs, v);
        } else {
          ours = Math.max(ours, v);
        }
      }
      if (theirs > 0) {
        throw newer(theirs, ours);
      }
      var result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        log.info("database schema brought from version {} to {} ({} migration(s))",
            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion, result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      MigrationInfo current = flyway.info().current();
      return current == null || current.getVersion() == null ? 0 : current.getVersion().getMajor().intValue();
    } catch (FlywayException e) {
      throw new SQLException("the schema could not be brought up to date: " + e.getMessage(), e);
    }
  }

  private static SQLException newer(int theirs, int ours) {
    return new SQLException("the database has schema version " + theirs + ", newer than this schoolgate (" + ours
        + "); use the newer release");
  }
}
