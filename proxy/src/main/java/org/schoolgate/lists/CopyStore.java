package org.schoolgate.lists;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One subscription's folder, {@code data_dir/lists/NAME/}: its good copies ({@code copy-MILLIS/},
 * each the per-category domain files and {@code copy.json}) and its {@code state.json}. A copy is
 * built in a temporary folder, every file fsynced, then renamed into place: a crash leaves the old
 * copies and at most a temporary folder, never half a copy.
 */
public final class CopyStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String PREFIX = "copy-";

  /**
   * What {@code copy.json} says of a good copy. Times are epoch milliseconds. {@code mapping} is the
   * subscription's format, map, allow and category when the copy was made: a copy made under
   * another mapping is replaced by an unconditional fetch.
   */
  public record Meta(String etag, String lastModified, String sha256, long fetchedAt, Map<String, Integer> counts,
                     long skipped, long bytes, String mapping) {}

  /** What {@code state.json} says: the last try, the last success, the last error; 0 for never. */
  public record State(long lastAttempt, long lastSuccess, String lastError, String lastReason, int failures,
                      long alertedAt) {
    public static final State NEW = new State(0, 0, null, null, 0, 0);
  }

  /** A good copy on disk. */
  public record Copy(Path dir, Meta meta) {
    /** The domain file of one of our categories. */
    public Path file(String category) {
      return dir.resolve(category + ".txt");
    }
  }

  private final Path dir;

  public CopyStore(Path listsDir, String name) {
    this.dir = listsDir.resolve(name);
  }

  public Path dir() {
    return dir;
  }

  /** Good copies, newest first. */
  public List<Copy> copies() {
    List<Copy> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        try {
          out.add(new Copy(p, JSON.readValue(p.resolve("copy.json").toFile(), Meta.class)));
        } catch (IOException e) {
          // a copy without readable metadata is not a good copy
        }
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(Comparator.comparingLong((Copy c) -> c.meta().fetchedAt()).reversed());
    return out;
  }

  public Copy newest() {
    List<Copy> all = copies();
    return all.isEmpty() ? null : all.get(0);
  }

  /** A fresh temporary folder for building a copy (leftovers of an earlier crash are removed first). */
  Path scratch(long now) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
        deleteTree(p);
      }
    }
    return Files.createDirectory(dir.resolve(".tmp-" + now));
  }

  /** Makes {@code scratch} a good copy, atomically, and keeps only the {@code keep} newest. */
  Copy commit(Path scratch, Meta meta, int keep) throws IOException {
    Meta m = meta;
    while (Files.exists(dir.resolve(PREFIX + m.fetchedAt()))) { // two copies in one millisecond: the later one is newer
      m = new Meta(m.etag(), m.lastModified(), m.sha256(), m.fetchedAt() + 1, m.counts(), m.skipped(), m.bytes(), m.mapping());
    }
    Path metaFile = scratch.resolve("copy.json");
    Files.write(metaFile, JSON.writeValueAsBytes(m));
    Converter.fsync(metaFile);
    Path target = dir.resolve(PREFIX + m.fetchedAt());
    move(scratch, target);
    List<Copy> all = copies();
    for (Copy old : all.subList(Math.min(keep, all.size()), all.size())) {
      deleteTree(old.dir());
    }
    return new Copy(target, m);
  }

  public State state() {
    Path f = dir.resolve("state.json");
    try {
      return Files.exists(f) ? JSON.readValue(f.toFile(), State.class) : State.NEW;
    } catch (IOException e) {
      return State.NEW;
    }
  }

  void state(State s) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(".state.json.tmp");
    Files.write(tmp, JSON.writeValueAsBytes(s));
    Converter.fsync(tmp);
    move(tmp, dir.resolve("state.json"));
  }

  private void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true); // the rename itself is durable
    } catch (IOException e) {
      // some file systems cannot sync a folder; the rename is still atomic
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
