package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RadClient;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;

/**
 * Identity from RADIUS accounting (SPEC 15), sent by Debian's radclient from loopback as a Wi-Fi
 * controller would: a staff member signed in on a pupils' network address is treated as staff
 * until their Stop; their name is on the access lines, in /api/decision, the console's check and
 * /api/identities; a forged packet, an unknown sender and garbage change nothing and are counted.
 * Break time (10:35) on the test clock: staff may reach social media then, pupils never.
 */
class RadiusAccountingTest {
  static final String SECRET = "school-radius-secret";
  static final String TEACHER = "J.Smith@staff.mellers.sch.uk";
  static final String IDENTITY = """
      identity:
        radius_accounting:
          listen: 127.0.0.1:0
          clients: [127.0.0.1/32]
          secret_file: radius.secret
        users:
          - {match: "*@staff.mellers.sch.uk", group: staff}
          - {match: "*@mellers.sch.uk", group: pupils}
        session_max: 12h
      """;

  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    RadClient.require();
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, y -> y + IDENTITY, Duration.ofSeconds(10), config -> {
      Files.writeString(config.resolveSibling("radius.secret"), SECRET + "\n");
      Users.add(config, "head", "head");
      Users.add(config, "teacher", "staff");
    });
    head = gate.admin(VlanClient.STAFF, "head");
  }

  @AfterAll
  static void stop() {
    if (gate != null) {
      gate.close();
    }
    if (web != null) {
      web.close();
    }
  }

  @BeforeEach
  void breakTime() {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");
  }

  static InetSocketAddress radius() {
    return gate.server.address("radius");
  }

  private HttpResult facebook(String source) throws Exception {
    try (VlanClient c = gate.client(source)) {
      return c.get("http://www.facebook.com:" + web.port() + "/groups/staffroom");
    }
  }

  private static long packets(String outcome) throws Exception {
    String body = gate.admin(VlanClient.STAFF, null).get("/metrics").body();
    Matcher m = Pattern.compile("schoolgate_radius_packets_total\\{outcome=\"" + outcome + "\",?\\} ([0-9.E]+)").matcher(body);
    assertTrue(m.find(), "schoolgate_radius_packets_total{outcome=\"" + outcome + "\"} in /metrics");
    return (long) Double.parseDouble(m.group(1));
  }

  private static JsonNode decision(String client) throws Exception {
    return head.get("/api/decision?client=" + client + "&host=www.facebook.com").json();
  }

  @Test
  void aTeacherOnAPupilsNetworkAddressIsStaffUntilTheirStop() throws Exception {
    String device = "127.0.10.71";
    assertEquals(403, facebook(device).status(), "a pupils' address, nobody signed in: pupils' rules");

    RadClient.Result start = RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", TEACHER, device, "s-71"));
    assertTrue(start.answered(), start.output());
    // in force once answered: the Accounting-Response is sent after the mapping is in the policy
    assertEquals(200, facebook(device).status(), "staff may reach social media in a break");
    AccessRecord line = gate.events.awaitAccess("the teacher's request", a -> a.client().equals(device) && a.status() == 200);
    assertEquals("staff", line.group());
    assertEquals(TEACHER, line.user());
    awaitLine("access.jsonl", device);
    JsonNode d = decision(device);
    assertEquals(TEACHER, d.get("user").asText());
    assertEquals("staff", d.get("group").asText());

    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
    HttpResult lesson = facebook(device);
    assertEquals(403, lesson.status(), "staff are blocked from social media in lessons");
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");

    JsonNode ids = head.get("/api/identities").json();
    JsonNode mine = null;
    for (JsonNode i : ids.get("identities")) {
      if (i.get("address").asText().equals(device)) {
        mine = i;
      }
    }
    assertTrue(mine != null, ids.toString());
    assertEquals(TEACHER, mine.get("user").asText());
    assertEquals("staff", mine.get("group").asText());
    assertEquals(403, gate.admin(VlanClient.STAFF, "teacher").get("/api/identities").status(), "staff may not list who is where");

    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Interim-Update", TEACHER, device, "s-71"))
        .answered());
    RadClient.Result lateStop = RadClient.acct(radius(), SECRET, "127.0.0.1",
        RadClient.session("Stop", TEACHER, device, "s-70"));
    assertTrue(lateStop.answered(), lateStop.output());
    assertEquals(200, facebook(device).status(), "a Stop of an older session leaves the mapping");

    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Stop", TEACHER, device, "s-71")).answered());
    assertEquals(403, facebook(device).status(), "after the Stop, pupils' rules again");
    assertTrue(decision(device).get("user").isNull());
  }

  @Test
  void anAttemptToGetRoundTheFilterNamesTheUser() throws Exception {
    String device = "127.0.10.78";
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", TEACHER, device, "s-78")).answered());
    try (VlanClient c = gate.client(device)) {
      assertEquals(403, c.get("http://nordvpn.com:" + web.port() + "/").status());
    }
    var event = gate.events.awaitEvent("the attempt", e -> e.client().equals(device));
    assertEquals(TEACHER, event.user());
    awaitLine("events.jsonl", device);
    JsonNode stored = Await.value("the attempt stored", () -> {
      try {
        JsonNode list = head.get("/api/events?client=" + device).json();
        return list.size() > 0 ? list.get(0) : null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(TEACHER, stored.get("user").asText(), stored.toString());
  }

  @Test
  void aForgedPacketChangesNothingAndIsCounted() throws Exception {
    String device = "127.0.10.72";
    long before = packets("bad_authenticator");
    RadClient.Result forged = RadClient.acctOnce(radius(), "guessed-secret", "127.0.0.1",
        RadClient.session("Start", TEACHER, device, "s-72"));
    assertFalse(forged.answered(), "a forged packet gets no Accounting-Response: " + forged.output());
    Await.until("the forged packet counted", () -> count("bad_authenticator") > before);
    assertEquals(403, facebook(device).status());
    assertTrue(decision(device).get("user").isNull());
    assertEquals("pupils", decision(device).get("group").asText());
  }

  @Test
  void anUnknownSenderIsDroppedAndCounted() throws Exception {
    String device = "127.0.10.73";
    long before = packets("unknown_client");
    RadClient.Result r = RadClient.acctOnce(radius(), SECRET, "127.0.0.9", RadClient.session("Start", TEACHER, device, "s-73"));
    assertFalse(r.answered(), "a sender outside clients gets no answer: " + r.output());
    Await.until("the unknown sender counted", () -> count("unknown_client") > before);
    assertEquals(403, facebook(device).status());
  }

  @Test
  void garbageAndOtherCodesAreDroppedAndCountedAndTheListenerGoesOn() throws Exception {
    long malformed = packets("malformed");
    long ignored = packets("ignored");
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      s.send(new DatagramPacket(garbage, garbage.length, radius()));
      byte[] tooShort = {4, 1, 0, 20, 9};
      s.send(new DatagramPacket(tooShort, tooShort.length, radius()));
      byte[] accessRequest = new byte[20];
      accessRequest[0] = 1; // Access-Request: not for an accounting listener
      accessRequest[3] = 20;
      s.send(new DatagramPacket(accessRequest, accessRequest.length, radius()));
    }
    Await.until("garbage counted as malformed", () -> count("malformed") >= malformed + 2);
    Await.until("an Access-Request counted as ignored", () -> count("ignored") >= ignored + 1);
    String device = "127.0.10.74";
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", TEACHER, device, "s-74")).answered(),
        "the listener still answers good packets");
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Stop", TEACHER, device, "s-74")).answered());
  }

  @Test
  void accountingOnEndsEveryMappingOfThatEquipment() throws Exception {
    String a = "127.0.10.75";
    String b = "127.0.10.76";
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", TEACHER, a, "s-75")).answered());
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", "k.lee@staff.mellers.sch.uk", b,
        "s-76")).answered());
    assertEquals(200, facebook(b).status());
    RadClient.Result on = RadClient.acct(radius(), SECRET, "127.0.0.1", "Acct-Status-Type = Accounting-On",
        "NAS-IP-Address = 127.0.0.1", "Acct-Session-Id = \"00000000\"");
    assertTrue(on.answered(), on.output());
    assertEquals(403, facebook(a).status());
    assertEquals(403, facebook(b).status());
  }

  @Test
  void aMappingEndsAfterSessionMaxWithoutAnUpdate() throws Exception {
    String device = "127.0.10.77";
    assertTrue(RadClient.acct(radius(), SECRET, "127.0.0.1", RadClient.session("Start", TEACHER, device, "s-77")).answered());
    assertEquals("staff", decision(device).get("group").asText());
    gate.clock.advance(Duration.ofHours(11));
    gate.server.identities().expire().join();
    assertEquals("staff", decision(device).get("group").asText(), "11 h without an update: still in force");
    gate.clock.advance(Duration.ofHours(1).plusMinutes(1));
    gate.server.identities().expire().join();
    assertEquals("pupils", decision(device).get("group").asText());
    assertNull(gate.server.engine().policy().identities().user(InetAddress.getByName(device)));
  }

  /** Waits for a line of {@code file} about {@code device} that names the teacher (the log writer is a thread of its own). */
  private static void awaitLine(String file, String device) {
    Await.until("a line of " + file + " for " + device + " with the user", () -> {
      try {
        Path p = dir.resolve("logs").resolve(file);
        return Files.exists(p) && Files.readAllLines(p).stream()
            .anyMatch(l -> l.contains("\"client\":\"" + device + "\"") && l.contains("\"user\":\"" + TEACHER + "\""));
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  private static long count(String outcome) {
    try {
      return packets(outcome);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
