package org.schoolgate.blocklist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.config.CategoryFiles;
import org.schoolgate.policy.CategoryLists;

/** Loads the category lists of a blocklists folder into {@link CategoryLists}. */
public final class Blocklists {
  private Blocklists() {}

  /** What a load produced: the lists, every skipped line as {@code FILE:LINE: message}, and counts per category. */
  public record Loaded(CategoryLists lists, List<String> problems, Map<String, Integer> counts) {}

  /**
   * The key of {@link #load}'s {@code extra} files that hold exceptions (a subscription's
   * {@code allow} source categories, SPEC 13) rather than a category's domains: no category
   * can have this name (they start with a letter or digit).
   */
  public static final String EXCEPTIONS = "_exceptions";

  /**
   * Loads the named categories from {@code folder}. Unparseable lines are skipped and reported;
   * a missing category or an unreadable file fails the whole load (the caller keeps what it had).
   */
  public static Loaded load(Path folder, Collection<String> categories) throws IOException {
    return load(folder, categories, Map.of());
  }

  /**
   * As {@link #load(Path, Collection)}, plus {@code extra} files per category (the subscriptions'
   * good copies, SPEC section 13), read the same way after the category's own file, and the
   * files under {@link #EXCEPTIONS} as exceptions.
   */
  public static Loaded load(Path folder, Collection<String> categories, Map<String, List<Path>> extra) throws IOException {
    Map<String, Path> files = CategoryFiles.scan(folder);
    List<String> names = new ArrayList<>(categories);
    names.sort(null);
    CategoryLists.Builder builder = new CategoryLists.Builder(names);
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<Path> paths = new ArrayList<>(names.size());
    long lines = 0;
    for (String name : names) {
      Path file = files.get(name);
      if (file == null) {
        throw new IOException("no list for category \"" + name + "\" in " + folder);
      }
      paths.add(file);
      lines += ListReader.countLines(file);
      for (Path more : extra.getOrDefault(name, List.of())) {
        lines += ListReader.countLines(more);
      }
    }
    List<Path> exceptions = extra.getOrDefault(EXCEPTIONS, List.of());
    for (Path more : exceptions) {
      lines += ListReader.countLines(more);
    }
    // sized exactly: with five million domains a guess costs either a 1.5x growth or idle slots,
    // megabytes either way, while counting the lines first costs a pass over files just read
    builder.expect((int) Math.min(50_000_000, lines));
    for (int i = 0; i < names.size(); i++) {
      int count = read(paths.get(i), folder, i, builder, problems);
      for (Path more : extra.getOrDefault(names.get(i), List.of())) {
        count += read(more, more.getParent().getParent(), i, builder, problems);
      }
      counts.put(names.get(i), count);
    }
    for (Path more : exceptions) {
      read(more, more.getParent().getParent(), CategoryLists.EXCEPTION_INDEX, builder, problems);
    }
    return new Loaded(builder.build(), problems, counts);
  }

  /** Parses every list in the folder, for {@code check}: problems only. */
  public static List<String> checkAll(Path folder) throws IOException {
    Map<String, Path> files = CategoryFiles.scan(folder);
    List<String> problems = new ArrayList<>();
    CategoryLists.Builder scratch = new CategoryLists.Builder(List.of());
    for (Path file : files.values()) {
      read(file, folder, -1, scratch, problems);
    }
    return problems;
  }

  private static int read(Path file, Path folder, int category, CategoryLists.Builder builder, List<String> problems)
      throws IOException {
    String shown = folder.getFileName() + "/" + folder.relativize(file);
    try (InputStream in = Files.newInputStream(file)) {
      return ListReader.read(in, shown, category, builder, problems);
    }
  }
}
