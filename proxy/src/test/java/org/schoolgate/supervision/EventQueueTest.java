package org.schoolgate.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.store.Rows;

/** The on-disk queue of events waiting for the database: survives a restart, bounded, torn lines skipped. */
class EventQueueTest {
  @TempDir
  Path dir;

  private static Rows.Event event(String host) {
    return new Rows.Event(0, "2026-11-23T10:00:00Z", "127.0.10.1", "pupils", "circumvention-site", host, "d", null);
  }

  @Test
  void whatIsQueuedIsReadBackInOrderByTheNextProcessUntilCleared() throws Exception {
    Path file = dir.resolve("event-queue.jsonl");
    EventQueue q = new EventQueue(file);
    assertTrue(q.isEmpty());
    Rows.Device device = new Rows.Device("127.0.10.1", "2026-11-23T10:00:00Z", 5, List.of("no-sni"), "lockdown", null);
    q.append(List.of(event("a.example"), event("b.example")), List.of(device));
    q.append(List.of(event("c.example")), List.of());
    EventQueue after = new EventQueue(file); // as a restarted gateway finds it
    assertEquals(4, after.size());
    EventQueue.Contents read = after.read();
    assertEquals(List.of("a.example", "b.example", "c.example"), read.events().stream().map(Rows.Event::host).toList());
    assertEquals(List.of(device), read.devices());
    after.clear();
    assertTrue(after.isEmpty());
    assertTrue(new EventQueue(file).read().events().isEmpty());
  }

  @Test
  void anAlertRaisedWhileTheDatabaseIsAwayIsQueuedAndReadBackAsRaised() throws Exception {
    Path file = dir.resolve("event-queue.jsonl");
    var alert = new org.schoolgate.alert.Alerts.Occurrence("category", java.time.Instant.parse("2026-11-23T10:00:00.123Z"),
        "127.0.10.1", null, "pupils", "blocked from www.facebook.com/ (social)", "R-1", "www.facebook.com");
    new EventQueue(file).append(List.of(event("a.example")), List.of(), List.of(alert));
    EventQueue after = new EventQueue(file);
    assertEquals(2, after.size());
    assertEquals(List.of(alert), after.read().alerts());
  }

  @Test
  void aLineTornByACrashIsSkipped() throws Exception {
    Path file = dir.resolve("event-queue.jsonl");
    new EventQueue(file).append(List.of(event("a.example")), List.of());
    Files.writeString(file, "{\"event\":{\"id\":0,\"ts\":\"2026", StandardOpenOption.APPEND);
    assertEquals(List.of("a.example"), new EventQueue(file).read().events().stream().map(Rows.Event::host).toList());
  }

  @Test
  void aFullQueueRefusesMoreAndKeepsWhatItHas() throws Exception {
    EventQueue q = new EventQueue(dir.resolve("event-queue.jsonl"));
    List<Rows.Event> many = new ArrayList<>();
    for (int i = 0; i < EventQueue.MAX_ROWS; i++) {
      many.add(event("e" + i + ".example"));
    }
    q.append(many, List.of());
    IOException full = assertThrows(IOException.class, () -> q.append(List.of(event("one-more.example")), List.of()));
    assertTrue(full.getMessage().contains("full"), full.getMessage());
    assertEquals(EventQueue.MAX_ROWS, q.size());
  }
}
