package org.schoolgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Finds the category lists in a blocklists folder: {@code NAME.txt}, or {@code NAME/domains} (the UT1 layout). */
public final class CategoryFiles {
  private CategoryFiles() {}

  /** Category name to file, sorted by name. */
  public static Map<String, Path> scan(Path folder) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && name.endsWith(".txt") && name.length() > 4) {
          out.put(name.substring(0, name.length() - 4), p);
        } else if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("domains"))) {
          out.putIfAbsent(name, p.resolve("domains"));
        }
      }
    }
    return out;
  }
}
