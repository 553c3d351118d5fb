package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.Await;

/**
 * Attempts count attempts, not connections (issue 20, item 7): a browser's one visit to a proxy
 * site opens two or three connections (preconnect, retry). One device, host and kind make one
 * attempt a minute (the minute of the block page's reference) in events.jsonl, {@code /api/events}
 * and supervision's count, while the access log keeps one line per connection.
 */
class AttemptsTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, y -> y, Duration.ofSeconds(10), config -> Users.add(config, "head", "head"));
    head = gate.admin(VlanClient.STAFF, "head");
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  @BeforeEach
  void lessonTime() {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00:05");
  }

  /** One visit as a browser makes it: three connections to the proxy site, each refused. */
  static void visit(String pupil, String host) throws IOException {
    for (int i = 0; i < 3; i++) {
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.get("http://" + host + "/").status());
      }
    }
  }

  static int events(String pupil) throws IOException {
    return head.get("/api/events?client=" + pupil).json().size();
  }

  static long lines(String file, String pupil) throws IOException {
    return Files.readAllLines(dir.resolve("logs").resolve(file)).stream()
        .filter(l -> l.contains("\"client\":\"" + pupil + "\"")).count();
  }

  @Test
  void threeConnectionsInAMinuteAreOneAttemptAndTheNextMinuteAnother() throws Exception {
    String pupil = "127.0.10.61";
    visit(pupil, "nordvpn.com");
    gate.clock.advance(Duration.ofSeconds(50)); // 11:00:55, the same minute
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(403, c.get("http://nordvpn.com/again").status());
    }
    // A refusal is sent once its event is durable (in events.jsonl and the database): no waiting.
    assertEquals(1, events(pupil), "four connections within a minute are one attempt in /api/events");
    assertEquals(1, lines("events.jsonl", pupil), "and one line in events.jsonl");
    Await.until("one access line per connection", () -> {
      try {
        return lines("access.jsonl", pupil) == 4;
      } catch (IOException e) {
        return false;
      }
    });

    gate.clock.advance(Duration.ofMinutes(1)); // 11:01:55
    visit(pupil, "nordvpn.com");
    assertEquals(2, events(pupil), "a minute later is a second attempt");
    assertEquals(2, lines("events.jsonl", pupil));
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(403, c.send("CONNECT nordvpn.com:22 HTTP/1.1\r\nHost: nordvpn.com:22\r\n\r\n").status());
    }
    assertEquals(3, events(pupil), "another kind to the same host in the same minute is another attempt");
    try (VlanClient c = gate.client("127.0.10.62")) {
      assertEquals(403, c.get("http://nordvpn.com/").status());
    }
    assertEquals(1, events("127.0.10.62"), "another device is another attempt");
  }

  @Test
  void fourVisitsOfThreeConnectionsDoNotSuperviseAndTheFifthDoes() throws Exception {
    String pupil = "127.0.10.63";
    for (int i = 0; i < 4; i++) {
      visit(pupil, "nordvpn.com");
      gate.clock.advance(Duration.ofMinutes(1));
    }
    assertEquals(4, events(pupil));
    assertEquals(0, head.get("/api/devices").json().size(), "twelve connections in four visits are four attempts");
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(200, c.get("http://www.bbc.co.uk:" + web.port() + "/").status(), "not locked down");
    }
    visit(pupil, "nordvpn.com");
    JsonNode device = Await.value("supervised after the fifth visit", () -> {
      try {
        JsonNode list = head.get("/api/devices").json();
        return list.size() == 1 ? list.get(0) : null;
      } catch (IOException e) {
        return null;
      }
    });
    assertEquals(pupil, device.get("address").asText());
    assertEquals(5, device.get("attempts").asInt(), "supervision counts attempts");
  }
}
