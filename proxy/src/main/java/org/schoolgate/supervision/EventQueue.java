package org.schoolgate.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.alert.Alerts;
import org.schoolgate.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circumvention events, the supervised devices they updated and the safeguarding alerts they
 * raised, that could not reach the database while it was away: one JSON line each in
 * {@code data_dir/event-queue.jsonl},
 * fsynced before their refusals are sent, so a gateway killed meanwhile still has them. Sent
 * (oldest first, in one transaction) when the database is back, then emptied. Bounded at
 * {@link #MAX_ROWS}: past that an attempt is still refused and written to events.jsonl, but not
 * queued for the database. A line torn by a crash while it was written was never acknowledged
 * and is skipped. Used only on {@link Supervision}'s thread.
 */
final class EventQueue {
  static final int MAX_ROWS = 100_000;
  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private int rows;

  EventQueue(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        rows = (int) lines.filter(l -> !l.isBlank()).count();
      }
    }
  }

  boolean isEmpty() {
    return rows == 0;
  }

  int size() {
    return rows;
  }

  record Contents(List<Rows.Event> events, List<Rows.Device> devices, List<Alerts.Occurrence> alerts) {
    Contents(List<Rows.Event> events, List<Rows.Device> devices) {
      this(events, devices, List.of());
    }
  }

  void append(List<Rows.Event> events, List<Rows.Device> devices) throws IOException {
    append(events, devices, List.of());
  }

  /** Appends and fsyncs; an IOException (the disk, or the queue full) means they are not queued. */
  void append(List<Rows.Event> events, List<Rows.Device> devices, List<Alerts.Occurrence> alerts) throws IOException {
    int n = events.size() + devices.size() + alerts.size();
    if (rows + n > MAX_ROWS) {
      throw new IOException("the local event queue is full (" + MAX_ROWS + " rows waiting for the database)");
    }
    StringBuilder lines = new StringBuilder();
    for (Rows.Event e : events) {
      lines.append(JSON.writeValueAsString(java.util.Map.of("event", e))).append('\n');
    }
    for (Rows.Device d : devices) {
      lines.append(JSON.writeValueAsString(java.util.Map.of("device", d))).append('\n');
    }
    for (Alerts.Occurrence a : alerts) {
      lines.append(JSON.writeValueAsString(java.util.Map.of("alert", QueuedAlert.of(a)))).append('\n');
    }
    Files.createDirectories(file.getParent());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    rows += n;
  }

  /** What is queued, oldest first. */
  Contents read() throws IOException {
    List<Rows.Event> events = new ArrayList<>();
    List<Rows.Device> devices = new ArrayList<>();
    List<Alerts.Occurrence> alerts = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Contents(events, devices, alerts);
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (node.has("event")) {
          events.add(JSON.treeToValue(node.get("event"), Rows.Event.class));
        } else if (node.has("device")) {
          devices.add(JSON.treeToValue(node.get("device"), Rows.Device.class));
        } else if (node.has("alert")) {
          alerts.add(JSON.treeToValue(node.get("alert"), QueuedAlert.class).occurrence());
        }
      } catch (JsonProcessingException torn) {
        log.warn("skipped a torn line in {} (written when the gateway stopped; never acknowledged)", file);
      }
    }
    return new Contents(events, devices, alerts);
  }

  /** An alert's occurrence as a queue line holds it (its time in epoch milliseconds). */
  record QueuedAlert(String kind, long at, String device, String mac, String group, String what, String ref, String site) {
    static QueuedAlert of(Alerts.Occurrence o) {
      return new QueuedAlert(o.kind(), o.at().toEpochMilli(), o.device(), o.mac(), o.group(), o.what(), o.ref(), o.site());
    }

    Alerts.Occurrence occurrence() {
      return new Alerts.Occurrence(kind, java.time.Instant.ofEpochMilli(at), device, mac, group, what, ref, site);
    }
  }

  /** Empties the queue once what it held is committed to the database. */
  void clear() throws IOException {
    if (Files.exists(file)) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(0);
        ch.force(true);
      }
    }
    rows = 0;
  }
}
