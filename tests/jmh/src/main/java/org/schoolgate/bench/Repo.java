package org.schoolgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (for the shipped lists, configs and recorded ClientHellos). */
public final class Repo {
  private Repo() {}

  /** {@code -Dschoolgate.root=PATH}, else the first folder upwards from the working directory with blocklists/ and pom.xml. */
  public static Path root() {
    String set = System.getProperty("schoolgate.root");
    if (set != null) {
      return Path.of(set).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("blocklists")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("run from inside the schoolgate repository, or set -Dschoolgate.root=PATH");
  }
}
