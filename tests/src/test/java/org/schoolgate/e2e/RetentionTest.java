package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/** log_retention_days: old log files are deleted, and stored events expire with them. */
class RetentionTest {
  @Test
  void logFilesOlderThanTheRetentionAreDeletedAtStart(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    LocalDate today = LocalDate.now();
    Path old = logs.resolve("access." + today.minusDays(100) + ".jsonl.gz");
    Path recent = logs.resolve("access." + today.minusDays(10) + ".jsonl.gz");
    Path oldEvents = logs.resolve("events." + today.minusDays(95) + ".jsonl.gz");
    for (Path p : new Path[] {old, recent, oldEvents}) {
      Files.write(p, new byte[] {0x1f, (byte) 0x8b});
    }
    ProxyHarness gate = new ProxyHarness(dir, 80, 443, y -> y);
    try {
      Await.until("old files deleted", () -> !Files.exists(old) && !Files.exists(oldEvents));
      assertTrue(Files.exists(recent), "files inside the 90 days stay");
    } finally {
      gate.close();
    }
  }

  @Test
  void storedEventsExpireAfterTheRetention(@TempDir Path dir) throws Exception {
    try (ProxyHarness gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10),
        config -> Users.add(config, "head", "head"))) {
      String device = VlanClient.freshPupil();
      try (VlanClient c = gate.client(device)) {
        assertEquals(403, c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n").status());
      }
      var head = gate.admin(VlanClient.STAFF, "head");
      Await.until("the event is stored", () -> count(head, device) == 1);
      gate.clock.advance(Duration.ofDays(89));
      assertEquals(0, gate.server.supervision().expire(Duration.ofDays(90)).join());
      assertEquals(1, count(head, device));
      gate.clock.advance(Duration.ofDays(2));
      assertEquals(1, gate.server.supervision().expire(Duration.ofDays(90)).join());
      assertEquals(0, count(head, device));
      Await.until("the log file keeps the line (it has its own retention)", () -> {
        try {
          return !Files.readString(dir.resolve("logs/events.jsonl")).isEmpty();
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private static int count(org.schoolgate.e2e.support.AdminClient head, String device) {
    try {
      return head.get("/api/events?client=" + device).json().size();
    } catch (IOException e) {
      return -1;
    }
  }
}
