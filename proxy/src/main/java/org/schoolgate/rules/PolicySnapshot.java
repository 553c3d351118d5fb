package org.schoolgate.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.schoolgate.store.Rows;

/**
 * The last admin rules and supervised devices a gateway of a trust had from the shared database,
 * kept in {@code data_dir/policy-snapshot.json} so that a gateway starting while the database is
 * away filters with them (never with less). Rewritten after every change it puts in force, its
 * own or another gateway's: written beside, fsynced, then renamed over the old one, so a crash
 * leaves the old snapshot or the new one, never half of one.
 */
final class PolicySnapshot {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** @param writtenAt when it was written (ISO-8601), for the log line of a start on it */
  record Contents(String writtenAt, List<String> blocked, List<String> allowed, List<Rows.OverrideRow> overrides,
                  List<Rows.Device> devices) {}

  private PolicySnapshot() {}

  static void write(Path file, Contents contents) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.createDirectories(file.getParent());
    try (FileChannel ch = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(contents));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // the rename itself on disk
    }
  }

  /** The snapshot, or null when there is none yet. */
  static Contents read(Path file) throws IOException {
    return Files.exists(file) ? JSON.readValue(file.toFile(), Contents.class) : null;
  }
}
