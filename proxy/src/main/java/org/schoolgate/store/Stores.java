package org.schoolgate.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.schoolgate.config.Config;

/** Opens the store the configuration names: SQLite in {@code data_dir} (the default) or the trust's PostgreSQL. */
public final class Stores {
  private Stores() {}

  /**
   * @param mayBeAway whether a PostgreSQL store may open while the database cannot be reached
   *     (the server: it filters on its local snapshot meanwhile); the {@code user} commands say no
   */
  public static Store open(Config config, boolean mayBeAway) throws IOException {
    Config.Store s = config.store();
    if (!s.postgresql()) {
      return SqliteStore.open(config.dataDir(), config.site());
    }
    String password = null;
    if (s.passwordFile() != null) {
      password = Files.readAllLines(s.passwordFile(), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
    }
    return PostgresStore.open(s.url(), s.user(), password, config.site(), mayBeAway);
  }
}
