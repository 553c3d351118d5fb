package org.schoolgate.lists;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.schoolgate.blocklist.ListLine;
import org.schoolgate.config.Config;

/**
 * Turns a download into the form kept on disk: one normalised domain file per category of ours
 * ({@code CATEGORY.txt}), the mapped source categories only, and the subscription's {@code allow}
 * exceptions in {@code _exceptions.txt} (a domain both listed and excepted is left out of the
 * category: the exception is the subscription's word on it; one listed under an exception stays,
 * as the longest entry of a host decides). A {@code ut1} archive is read as a stream, entry by
 * entry (never whole in memory); a line that is not a domain costs that line, counted, not the copy.
 */
final class Converter {
  /** The file of a copy that holds its exceptions ({@link org.schoolgate.blocklist.Blocklists#EXCEPTIONS}). */
  static final String EXCEPTIONS_FILE = org.schoolgate.blocklist.Blocklists.EXCEPTIONS + ".txt";

  /** The output of one conversion: entries per category of ours, and lines skipped. */
  record Converted(Map<String, Integer> counts, long skipped, long excepted) {}

  private final long maxExpanded;

  /** @param maxExpanded the most bytes an archive may expand to (a bound against decompression bombs) */
  Converter(long maxExpanded) {
    this.maxExpanded = maxExpanded;
  }

  Converted convert(Path download, Config.Subscription s, Path outDir) throws IOException, Refusal {
    return s.format().equals("ut1") ? ut1(download, s, outDir) : plain(download, s, outDir);
  }

  private Converted plain(Path download, Config.Subscription s, Path outDir) throws IOException, Refusal {
    Counter c = new Counter();
    try (BufferedWriter out = writer(outDir, s.category()); BufferedReader in = reader(Files.newInputStream(download))) {
      c.copy(in, Set.of(s.category()), Map.of(s.category(), out), Set.of());
    }
    if (c.counts.getOrDefault(s.category(), 0) == 0) {
      throw new Refusal("format", "the list has no valid line" + (c.firstProblem == null ? "" : " (first problem: "
          + c.firstProblem + ")") + ": it is not a " + s.format() + " list");
    }
    fsync(outDir.resolve(s.category() + ".txt"));
    return new Converted(c.counts, c.skipped, 0);
  }

  private Converted ut1(Path download, Config.Subscription s, Path outDir) throws IOException, Refusal {
    // First pass: the aliases (UT1 links some categories to others) and the allowed domains.
    Map<String, String> aliases = new HashMap<>();
    Set<String> allowed = new HashSet<>();
    Set<String> read = new HashSet<>();
    int domainFiles = readAllowed(download, s.allow(), aliases, allowed, read);
    if (domainFiles == 0) {
      throw new Refusal("format", "the archive has no CATEGORY/domains file: it is not a UT1 archive");
    }
    Set<String> missed = new HashSet<>();
    for (String a : s.allow()) {
      String target = aliases.getOrDefault(a, a);
      if (!read.contains(target)) {
        missed.add(target);
      }
    }
    if (!missed.isEmpty()) {
      readAllowed(download, missed, new HashMap<>(), allowed, read);
    }
    // Which source folders feed which of our categories (a mapped name may be a link to another folder).
    Map<String, Set<String>> targets = new HashMap<>();
    s.map().forEach((source, ours) -> targets.computeIfAbsent(aliases.getOrDefault(source, source), k -> new HashSet<>()).add(ours));
    Map<String, BufferedWriter> writers = new TreeMap<>();
    Counter c = new Counter();
    try (TarArchiveInputStream tar = open(download)) {
      for (String ours : s.categories()) {
        writers.put(ours, writer(outDir, ours));
      }
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String category = e.isSymbolicLink() ? null : categoryOf(e.getName());
        Set<String> ours = category == null ? null : targets.get(category);
        if (ours != null) {
          c.copy(reader(new Unclosed(tar)), ours, writers, allowed);
        }
      }
    } catch (IOException e) {
      throw new Refusal("format", "the archive is damaged (" + e.getMessage() + ")");
    } finally {
      for (BufferedWriter w : writers.values()) {
        w.close();
      }
    }
    for (String ours : s.categories()) {
      c.counts.putIfAbsent(ours, 0);
      fsync(outDir.resolve(ours + ".txt"));
    }
    if (!allowed.isEmpty()) {
      Path file = outDir.resolve(EXCEPTIONS_FILE);
      Files.write(file, new java.util.TreeSet<>(allowed), StandardCharsets.UTF_8);
      fsync(file);
    }
    if (c.counts.values().stream().allMatch(n -> n == 0)) {
      throw new Refusal("format", "none of the mapped categories (" + String.join(", ", new TreeMap<>(s.map()).keySet())
          + ") has a domain in the archive");
    }
    return new Converted(c.counts, c.skipped, c.excepted);
  }

  /** Reads the domains of {@code categories} into {@code allowed}, and the links; returns how many domain files there are. */
  private int readAllowed(Path download, Set<String> categories, Map<String, String> aliases, Set<String> allowed,
                          Set<String> read) throws Refusal {
    int domainFiles = 0;
    try (TarArchiveInputStream tar = open(download)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.isSymbolicLink()) {
          String link = trimSlash(e.getName());
          aliases.put(link.substring(link.lastIndexOf('/') + 1), trimSlash(e.getLinkName()).replaceAll(".*/", ""));
          continue;
        }
        String category = categoryOf(e.getName());
        if (category != null) {
          domainFiles++;
          if (categories.contains(category)) {
            read.add(category);
            BufferedReader in = reader(new Unclosed(tar));
            for (String line; (line = in.readLine()) != null; ) {
              allowed.addAll(ListLine.parse(line).domains());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new Refusal("format", "the download is not a tar.gz archive (" + e.getMessage() + ")");
    }
    return domainFiles;
  }

  private TarArchiveInputStream open(Path download) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(download), 1 << 16);
    return new TarArchiveInputStream(new Bounded(new java.util.zip.GZIPInputStream(raw, 1 << 16), maxExpanded));
  }

  /** {@code blacklists/adult/domains} → {@code adult}; null for any other entry. */
  static String categoryOf(String entry) {
    String name = trimSlash(entry);
    if (!name.endsWith("/domains")) {
      return null;
    }
    String folder = name.substring(0, name.length() - "/domains".length());
    return folder.substring(folder.lastIndexOf('/') + 1);
  }

  private static String trimSlash(String s) {
    String t = s.startsWith("./") ? s.substring(2) : s;
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private static BufferedReader reader(InputStream in) {
    // Lists come from many sources; a stray byte must cost one line, not the copy.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
  }

  private static BufferedWriter writer(Path dir, String category) throws IOException {
    return Files.newBufferedWriter(dir.resolve(category + ".txt"), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Counts what is written, skipped and excepted. */
  private static final class Counter {
    final Map<String, Integer> counts = new TreeMap<>();
    long skipped;
    long excepted;
    String firstProblem;

    void copy(BufferedReader in, Set<String> categories, Map<String, BufferedWriter> outs, Set<String> allowed)
        throws IOException {
      int n = 0;
      for (String line; (line = in.readLine()) != null; ) {
        ListLine.Parsed p = ListLine.parse(line);
        if (p.problem() != null) {
          skipped++;
          if (firstProblem == null) {
            firstProblem = p.problem();
          }
          continue;
        }
        for (String d : p.domains()) {
          if (allowed.contains(d)) {
            excepted++;
            continue;
          }
          for (String category : categories) {
            BufferedWriter out = outs.get(category);
            out.write(d);
            out.write('\n');
          }
          n++;
        }
      }
      for (String category : categories) {
        counts.merge(category, n, Integer::sum);
      }
    }
  }

  /** The archive's current entry, as a stream a reader may close without closing the archive. */
  private static final class Unclosed extends FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the archive stays open for the next entry
    }
  }

  /** Fails once more than {@code max} bytes came out of the decompressor. */
  private static final class Bounded extends FilterInputStream {
    private final long max;
    private long seen;

    Bounded(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws IOException {
      seen += n;
      if (seen > max) {
        throw new IOException("it expands to more than " + max + " bytes");
      }
    }
  }
}
