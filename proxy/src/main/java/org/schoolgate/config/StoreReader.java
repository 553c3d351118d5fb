package org.schoolgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** The {@code store} section (where the durable state lives) and {@code site} (this gateway's school). */
final class StoreReader {

  private StoreReader() {}

  static Config.Store read(Node n, Path dir) {
    if (n.isNull()) {
      return Config.Store.SQLITE;
    }
    n.checkKeys(Set.of("kind", "url", "user", "password_file"));
    Node kindNode = n.get("kind");
    String kind = kindNode.isNull() ? "sqlite" : kindNode.text(true);
    Node url = n.get("url");
    Node user = n.get("user");
    Node passwordFile = n.get("password_file");
    if ("sqlite".equals(kind)) {
      for (Node extra : new Node[] {url, user, passwordFile}) {
        if (!extra.isNull()) {
          extra.problem("is for kind postgresql only (SQLite keeps its file in data_dir)");
        }
      }
      return Config.Store.SQLITE;
    }
    if (!"postgresql".equals(kind)) {
      if (kind != null) {
        kindNode.problem('"' + kind + "\" is not a store kind (sqlite or postgresql)");
      }
      return null;
    }
    String jdbc = url.text(true);
    if (jdbc != null && !jdbc.startsWith("jdbc:postgresql://")) {
      url.problem('"' + jdbc + "\" is not a PostgreSQL JDBC URL (write it like jdbc:postgresql://db.trust.example:5432/schoolgate)");
    }
    String who = user.text(false);
    Path password = Fields.path(dir, passwordFile, false);
    if (password != null && !Files.isReadable(password)) {
      passwordFile.problem("cannot read " + password + " (the file holds the database password on its first line)");
    }
    return new Config.Store("postgresql", jdbc, who, password);
  }

  /** {@code site}, or the machine's host name when it is not given. */
  static String site(Node n) {
    if (n.isNull()) {
      return hostName();
    }
    String s = n.text(true);
    if (s != null && !org.schoolgate.values.SiteName.valid(s)) {
      n.problem('"' + s + "\" is not a site name (letters, digits, '.', '_' and '-', at most 63, like mellers-primary)");
      return null;
    }
    return s;
  }

  private static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "");
    }
    name = name.toLowerCase(Locale.ROOT);
    int dot = name.indexOf('.');
    if (dot > 0) {
      name = name.substring(0, dot);
    }
    return org.schoolgate.values.SiteName.valid(name) ? name : "schoolgate";
  }
}
