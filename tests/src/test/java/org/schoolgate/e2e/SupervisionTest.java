package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Circumvention leads to supervision: five attempts inside ten minutes lock a device down to
 * the learning sites, on every listener, until a member of staff lifts it. Each test uses its
 * own device address. A device, host and kind make one attempt a minute ({@code AttemptsTest}),
 * so the tests move the clock a minute between attempts.
 */
class SupervisionTest {
  @TempDir
  static Path dir;
  static TestTls tls;
  static UpstreamServer web;
  static UpstreamServer secure;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    tls = new TestTls(ProxyHarness.NAMES);
    web = UpstreamServer.http();
    secure = UpstreamServer.tls(tls.serverContext());
    gate = harness(dir);
    head = gate.admin(VlanClient.STAFF, "head");
  }

  static ProxyHarness harness(Path at) throws Exception {
    return new ProxyHarness(at, web.port(), secure.port(), y -> y
        .replace("  office:\n    block: [circumvention]", "  office:\n    block: []"), Duration.ofSeconds(10),
        config -> {
          if (!Files.exists(at.resolve("data/schoolgate.db"))) {
            Users.add(config, "head", "head");
          }
        });
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
    secure.close();
  }

  @BeforeEach
  void lessonTime() {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
  }

  /**
   * One circumvention attempt: a tunnel to port 22, then a minute passes (a device, host and
   * kind make one attempt a minute, however many connections).
   */
  static void attempt(String device) throws IOException {
    attempt(gate, device);
  }

  static void attempt(ProxyHarness on, String device) throws IOException {
    try (VlanClient c = on.client(device)) {
      assertEquals(403, c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n").status());
    }
    on.clock.advance(Duration.ofMinutes(1));
  }

  static int fetch(String device, String host) throws IOException {
    try (VlanClient c = gate.client(device)) {
      return c.get("http://" + host + ":" + web.port() + "/").status();
    }
  }

  static JsonNode device(String address) throws IOException {
    for (JsonNode d : head.get("/api/devices").json()) {
      if (d.get("address").asText().equals(address)) {
        return d;
      }
    }
    return null;
  }

  static boolean lockedDown(String device) {
    try {
      return fetch(device, "www.bbc.co.uk") == 403;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fourAttemptsDoNotSuperviseAndTheFifthDoesOnEveryListenerWithinASecond() throws Exception {
    String pupil = "127.0.10.101";
    for (int i = 0; i < 4; i++) {
      attempt(pupil);
    }
    Await.until("four attempts stored", () -> {
      try {
        return head.get("/api/events?client=" + pupil).json().size() == 4;
      } catch (IOException e) {
        return false;
      }
    });
    assertEquals(null, device(pupil));
    assertEquals(200, fetch(pupil, "www.bbc.co.uk"));
    attempt(pupil);
    long fifth = System.nanoTime();
    Await.until("locked down", Duration.ofSeconds(1), () -> lockedDown(pupil));
    System.out.printf("lockdown in force %d ms after the fifth attempt%n", (System.nanoTime() - fifth) / 1_000_000);

    JsonNode d = device(pupil);
    assertEquals(5, d.get("attempts").asInt());
    assertEquals("lockdown", d.get("mode").asText());
    assertEquals("connect-port", d.get("kinds").get(0).asText());
    try (VlanClient c = gate.client(pupil)) {
      HttpResult page = c.get("http://www.bbc.co.uk:" + web.port() + "/");
      assertEquals("supervision", page.header("X-Schoolgate-Category"));
      assertTrue(page.body().contains("can only visit learning sites"), page.body());
      assertTrue(page.body().contains("Only the headteacher or the network manager can lift this"), page.body());
      assertTrue(page.body().contains("These still work: <strong>classroom.google.com</strong>"), page.body());
      assertTrue(page.body().contains("tell your teacher"), "a pupil is told to tell a teacher");
      assertFalse(page.body().contains("ask for a review"), "a pupil's page never links to the console");
      String ref = page.body().replaceAll("(?s).*class=\"ref\">([A-Z0-9-]+)<.*", "$1");
      try (VlanClient again = gate.client(pupil)) {
        HttpResult retry = again.get("http://www.bbc.co.uk:" + web.port() + "/other");
        assertTrue(retry.body().contains("class=\"ref\">" + ref + "<"), "the same reference within the minute");
      }
    }
    assertEquals(200, fetch(pupil, "classroom.google.com"), "supervision_allow stays reachable");
    try (VlanClient c = gate.client(pupil, gate.interceptHttp())) {
      assertEquals(403, c.send("GET / HTTP/1.1\r\nHost: www.bbc.co.uk:" + web.port() + "\r\n\r\n").status());
    }
    assertThrows(SSLException.class, () -> tlsTo(pupil, "www.bbc.co.uk"));
    tlsTo("127.0.10.102", "www.bbc.co.uk"); // another pupil is not affected
    awaitEventLine("\"kind\":\"supervised\"", pupil);
  }

  /** Lines reach events.jsonl from the batched log writer within a few tens of milliseconds. */
  static void awaitEventLine(String kind, String client) {
    Await.until(kind + " for " + client + " in events.jsonl", () -> {
      try {
        return Files.readAllLines(dir.resolve("logs/events.jsonl")).stream()
            .anyMatch(l -> l.contains(kind) && l.contains("\"client\":\"" + client + "\""));
      } catch (IOException e) {
        return false;
      }
    });
  }

  static void tlsTo(String device, String sni) throws Exception {
    try (Socket raw = new Socket()) {
      raw.bind(new InetSocketAddress(InetAddress.getByName(device), 0));
      raw.setSoTimeout(10_000);
      raw.connect(gate.interceptTls());
      var s = tls.handshake(raw, sni, secure.port());
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
    }
  }

  @Test
  void theWindowSlidesWithTheClock() throws Exception {
    String pupil = "127.0.10.103";
    for (int i = 0; i < 4; i++) {
      attempt(pupil);
    }
    gate.clock.advance(Duration.ofMinutes(11));
    attempt(pupil); // the first four are now outside the 10-minute window
    Await.until("five attempts stored", () -> {
      try {
        return head.get("/api/events?client=" + pupil).json().size() == 5;
      } catch (IOException e) {
        return false;
      }
    });
    assertEquals(null, device(pupil));
    gate.clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 4; i++) {
      attempt(pupil); // with the one two minutes ago: five inside the window
    }
    Await.until("supervised", () -> lockedDown(pupil));
  }

  @Test
  void staffLiftSupervisionWithAnAuditTrail() throws Exception {
    String pupil = "127.0.10.104";
    for (int i = 0; i < 5; i++) {
      attempt(pupil);
    }
    Await.until("supervised", () -> lockedDown(pupil));
    assertEquals(401, gate.admin(VlanClient.STAFF, null).delete("/api/devices/" + pupil + "/supervision").status());
    assertTrue(lockedDown(pupil), "a refused request lifts nothing");
    assertEquals(204, head.delete("/api/devices/" + pupil + "/supervision").status());
    assertEquals(404, head.delete("/api/devices/" + pupil + "/supervision").status());
    Await.until("released", () -> !lockedDown(pupil));
    assertEquals(null, device(pupil));
    JsonNode released = head.get("/api/events?kind=released&client=" + pupil).json();
    assertEquals(1, released.size(), released.toString());
    assertTrue(head.get("/api/audit").body().contains("release-supervision"));
    awaitEventLine("\"kind\":\"released\"", pupil);
  }

  @Test
  void attemptsFromAGroupThatDoesNotBlockCircumventionAreNotCounted() throws Exception {
    String office = "127.0.30.105";
    for (int i = 0; i < 6; i++) {
      try (VlanClient c = gate.client(office)) {
        c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n");
      }
    }
    assertEquals(0, head.get("/api/events?client=" + office).json().size());
    assertEquals(null, device(office));
  }

  @Test
  void theEventsApiFiltersAndOrdersNewestFirst() throws Exception {
    String pupil = "127.0.10.106";
    attempt(pupil);
    gate.clock.advance(Duration.ofSeconds(30));
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(403, c.send("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n").status());
    }
    gate.clock.advance(Duration.ofSeconds(30));
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(403, c.get("http://www-facebook-com.translate.goog/").status());
    }
    JsonNode all = Await.value("three events", () -> {
      try {
        JsonNode n = head.get("/api/events?client=" + pupil).json();
        return n.size() == 3 ? n : null;
      } catch (IOException e) {
        return null;
      }
    });
    assertEquals(List.of("circumvention-site", "ip-literal", "connect-port"),
        List.of(all.get(0).get("kind").asText(), all.get(1).get("kind").asText(), all.get(2).get("kind").asText()));
    assertTrue(all.get(0).get("detail").asText().contains("via translate.goog"), all.get(0).toString());
    assertEquals("www.facebook.com via translate.goog", all.get(0).get("detail").asText());
    assertEquals(1, head.get("/api/events?client=" + pupil + "&kind=ip-literal").json().size());
    assertEquals(1, head.get("/api/events?client=" + pupil + "&limit=1").json().size());
    assertEquals(2, head.get("/api/events?client=" + pupil + "&since=2026-11-23T11:00:15Z").json().size());
    assertEquals(400, head.get("/api/events?kind=nonsense").status());
    assertEquals(400, head.get("/api/events?limit=0").status());
  }

  @Test
  void supervisionSurvivesARestart(@TempDir Path other) throws Exception {
    String pupil = "127.0.10.107";
    try (ProxyHarness first = harness(other)) {
      for (int i = 0; i < 5; i++) {
        attempt(first, pupil);
      }
      Await.until("supervised", () -> {
        try (VlanClient c = first.client(pupil)) {
          return c.get("http://www.bbc.co.uk:" + web.port() + "/").status() == 403;
        } catch (IOException e) {
          return false;
        }
      });
    }
    try (ProxyHarness second = harness(other)) {
      try (VlanClient c = second.client(pupil)) {
        HttpResult r = c.get("http://www.bbc.co.uk:" + web.port() + "/");
        assertEquals(403, r.status());
        assertEquals("supervision", r.header("X-Schoolgate-Category"));
      }
    }
  }

  /** Supervision belongs to the proxy, not to the admin listener: it works with no {@code listen.admin}. */
  @Test
  void fiveAttemptsLockADeviceDownWithNoAdminListener(@TempDir Path other) throws Exception {
    try (ProxyHarness noAdmin = new ProxyHarness(other, web.port(), secure.port(),
        y -> y.replace("  admin: 127.0.0.1:0\n", ""))) {
      assertEquals(null, noAdmin.admin(), "no admin listener");
      assertTrue(!Files.readString(other.resolve("schoolgate.yaml")).contains("admin: 127.0.0.1"));
      String pupil = VlanClient.freshPupil();
      try (VlanClient c = noAdmin.client(pupil)) {
        assertEquals(200, c.get("http://www.bbc.co.uk:" + web.port() + "/").status());
      }
      for (int i = 0; i < 5; i++) {
        attempt(noAdmin, pupil);
      }
      Await.until("locked down", () -> {
        try (VlanClient c = noAdmin.client(pupil)) {
          return "supervision".equals(c.get("http://www.bbc.co.uk:" + web.port() + "/").header("X-Schoolgate-Category"));
        } catch (IOException e) {
          return false;
        }
      });
      assertTrue(noAdmin.logLines("events.jsonl", 6).stream()
          .anyMatch(l -> l.contains("\"supervised\"") && l.contains(pupil)), "the supervision is logged");
      assertEquals(1, noAdmin.server.supervision().devices().join().size(), "and stored");
    }
  }

  @Test
  void flagModeRecordsButDoesNotLockDown(@TempDir Path other) throws Exception {
    try (ProxyHarness flagged = new ProxyHarness(other, web.port(), secure.port(),
        y -> y.replace("supervision: lockdown", "supervision: flag"), Duration.ofSeconds(10),
        config -> Users.add(config, "head", "head"))) {
      String pupil = "127.0.10.108";
      for (int i = 0; i < 5; i++) {
        attempt(flagged, pupil);
      }
      AdminClient admin = flagged.admin(VlanClient.STAFF, "head");
      JsonNode d = Await.value("flagged", () -> {
        try {
          JsonNode list = admin.get("/api/devices").json();
          return list.size() == 1 ? list.get(0) : null;
        } catch (IOException e) {
          return null;
        }
      });
      assertEquals("flag", d.get("mode").asText());
      try (VlanClient c = flagged.client(pupil)) {
        assertEquals(200, c.get("http://www.bbc.co.uk:" + web.port() + "/").status());
      }
    }
  }
}
