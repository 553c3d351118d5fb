package org.schoolgate.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's style sheet, script and icon, read once from the jar: nothing comes from another site. */
final class Assets {
  record Asset(String type, byte[] bytes) {}

  private static final Map<String, Asset> ALL = Map.of(
      "/assets/console.css", load("console.css", "text/css; charset=utf-8"),
      "/assets/console.js", load("console.js", "text/javascript; charset=utf-8"),
      "/assets/favicon.svg", load("favicon.svg", "image/svg+xml"));

  private Assets() {}

  /** The asset at {@code path}, or null. */
  static Asset find(String path) {
    return ALL.get(path);
  }

  private static Asset load(String name, String type) {
    try (InputStream in = Assets.class.getResourceAsStream("/org/schoolgate/console/assets/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the console asset " + name + " is missing from the jar");
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
