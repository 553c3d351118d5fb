package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AdminClient.Reply;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/** The admin API over real HTTP, with users made by the command line, enforced on the proxy listeners. */
class AdminApiTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static org.schoolgate.e2e.support.TestTls tls;
  static UpstreamServer secure;
  static ProxyHarness gate;
  static AdminClient head;
  static AdminClient netmgr;
  static AdminClient teacher;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    tls = new org.schoolgate.e2e.support.TestTls(ProxyHarness.NAMES);
    secure = UpstreamServer.tls(tls.serverContext());
    gate = new ProxyHarness(dir, web.port(), secure.port(), y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "netmgr", "netmgr");
      Users.add(config, "teacher", "staff");
    });
    head = gate.admin(VlanClient.STAFF, "head");
    netmgr = gate.admin(VlanClient.OFFICE, "netmgr");
    teacher = gate.admin(VlanClient.STAFF, "teacher");
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

  private int fetch(String source, String host, String path) throws IOException {
    try (VlanClient c = gate.client(source)) {
      return c.get("http://" + host + ":" + web.port() + path).status();
    }
  }

  // ---- who may call what ----

  @Test
  void pupilsNetworksGet403BeforeAuthentication() throws Exception {
    Reply r = gate.admin(VlanClient.PUPIL, "head").get("/api/blocks");
    assertEquals(403, r.status());
    assertTrue(r.error().contains("cannot be reached from this network"), r.body());
    assertEquals(403, gate.admin(VlanClient.PUPIL, null).get("/healthz").status());
  }

  @Test
  void noCredentialsGet401WithAChallenge() throws Exception {
    Reply r = gate.admin(VlanClient.STAFF, null).get("/api/blocks");
    assertEquals(401, r.status());
    assertTrue(r.raw().header("WWW-Authenticate").startsWith("Basic"));
    assertEquals(401, new AdminClient(VlanClient.STAFF, gate.admin(), "head", "wrong password").get("/api/blocks").status());
  }

  @Test
  void staffMayReportButNotBlock() throws Exception {
    assertEquals(403, teacher.get("/api/blocks").status());
    assertEquals(403, teacher.post("/api/blocks", "{\"domain\":\"example.com\",\"reason\":\"x\"}").status());
    assertEquals(403, teacher.get("/api/reports?status=open").status());
    assertEquals(201, teacher.post("/api/reports", "{\"url\":\"https://bad.example.net/page\",\"kind\":\"inappropriate\",\"note\":\"Y7 saw this\"}").status());
  }

  @Test
  void healthAndMetricsNeedNoSignInFromAllowedNetworks() throws Exception {
    Reply health = gate.admin(VlanClient.STAFF, null).get("/healthz");
    assertEquals(200, health.status());
    assertEquals("ok\n", health.body());
    fetch(VlanClient.PUPIL, "www.facebook.com", "/m");
    Reply metrics = gate.admin(VlanClient.OFFICE, null).get("/metrics");
    assertEquals(200, metrics.status());
    for (String name : new String[] {"schoolgate_requests_total{", "schoolgate_decisions_total", "schoolgate_open_connections",
        "schoolgate_decision_seconds_total"}) {
      assertTrue(metrics.body().contains(name), name + " in " + metrics.body());
    }
  }

  // ---- blocks ----

  @Test
  void aPastedUrlIsStoredNormalisedAndEnforcedAtOnceOnEveryListener() throws Exception {
    assertEquals(200, fetch(VlanClient.OFFICE, "www.example.org", "/before"));
    long start = System.nanoTime();
    Reply r = head.post("/api/blocks", "{\"domain\":\"HTTPS://WWW.Example.ORG:8443/some/page?x=1\",\"reason\":\"reported by Y7\"}");
    long created = System.nanoTime();
    assertEquals(201, r.status(), r.body());
    JsonNode b = r.json();
    assertEquals("example.org", b.get("domain").asText());
    assertEquals("reported by Y7", b.get("reason").asText());
    assertEquals("head", b.get("added_by").asText());
    assertNotNull(b.get("added_at").asText());
    // Enforced for every group (office included), on the explicit and intercept listeners.
    int status = fetch(VlanClient.OFFICE, "www.example.org", "/after");
    long enforced = System.nanoTime();
    assertEquals(403, status);
    System.out.printf("block: 201 after %d ms, enforced %d ms after the 201%n", (created - start) / 1_000_000,
        (enforced - created) / 1_000_000);
    try (VlanClient c = gate.client(VlanClient.STAFF, gate.interceptHttp())) {
      HttpResult page = c.send("GET / HTTP/1.1\r\nHost: example.org:" + web.port() + "\r\n\r\n");
      assertEquals(403, page.status());
      assertEquals("reported", page.header("X-Schoolgate-Category"));
    }
    assertEquals(200, head.post("/api/blocks", "{\"domain\":\"example.org\",\"reason\":\"again\"}").status(), "already there");
    assertEquals(204, netmgr.delete("/api/blocks/example.org").status());
    assertEquals(404, netmgr.delete("/api/blocks/example.org").status());
    assertEquals(200, fetch(VlanClient.OFFICE, "www.example.org", "/unblocked"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "[::1]", "http://10.0.0.1/x", "co.uk", "github.io", "not a host", "", "localhost",
      "x'; DROP TABLE blocks;--", "\u0000\u0001", "bücher de"})
  void badBlocksGet400AndChangeNothing(String domain) throws Exception {
    int before = head.get("/api/blocks").json().size();
    Reply r = head.post("/api/blocks", AdminClient.JSON.createObjectNode().put("domain", domain).put("reason", "test").toString());
    assertEquals(400, r.status(), r.body());
    assertTrue(!r.error().isBlank());
    assertEquals(before, head.get("/api/blocks").json().size());
  }

  @Test
  void aBlockClosesOpenTunnelsToThatDomain() throws Exception {
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(VlanClient.OFFICE), 0));
      raw.setSoTimeout(10_000);
      raw.connect(gate.interceptTls());
      javax.net.ssl.SSLSocket tunnel = tls.handshake(raw, "school.test", secure.port());
      org.schoolgate.testing.Await.until("the tunnel is registered", () -> gate.server.proxy().tunnels().count() > 0);
      assertEquals(201, head.post("/api/blocks", "{\"domain\":\"school.test\",\"reason\":\"test\"}").status());
      try {
        assertEquals(-1, tunnel.getInputStream().read(), "the open tunnel was closed by the block");
      } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
        // closed without a TLS close_notify: also closed
      }
    } finally {
      head.delete("/api/blocks/school.test");
    }
  }

  // ---- reports ----

  @Test
  void anInappropriateReportApprovedBlocksTheSiteWithItsAuditTrail() throws Exception {
    Reply created = teacher.post("/api/reports", "{\"url\":\"http://www.example.org/forum/thread\",\"kind\":\"inappropriate\",\"note\":\"seen in 8B\"}");
    assertEquals(201, created.status(), created.body());
    long id = created.json().get("id").asLong();
    JsonNode open = head.get("/api/reports?status=open").json();
    assertTrue(open.toString().contains("\"id\":" + id), open.toString());
    Reply approved = head.post("/api/reports/" + id + "/approve", "{\"reason\":\"not suitable for pupils\"}");
    assertEquals(200, approved.status(), approved.body());
    assertEquals("approved", approved.json().get("status").asText());
    assertEquals(403, fetch(VlanClient.STAFF, "example.org", "/"));
    JsonNode block = head.get("/api/blocks").json();
    assertTrue(block.toString().contains("\"report_id\":" + id), block.toString());
    assertEquals(409, head.post("/api/reports/" + id + "/approve", "{\"reason\":\"again\"}").status());
    assertEquals(409, head.post("/api/reports/" + id + "/dismiss", "{\"reason\":\"again\"}").status());
    assertEquals(404, head.post("/api/reports/99999/approve", "{\"reason\":\"x\"}").status());
    String audit = head.get("/api/audit").body();
    assertTrue(audit.contains("approve-report-block") && audit.contains("not suitable for pupils"), audit);
    assertEquals(204, head.delete("/api/blocks/example.org").status());
  }

  @Test
  void anUnblockReportApprovedBeatsTheCategoryLists() throws Exception {
    assertEquals(403, fetch(VlanClient.PUPIL, "www.reddit.com", "/r/homework"));
    long id = teacher.post("/api/reports", "{\"url\":\"https://www.reddit.com/r/homework\",\"kind\":\"unblock\",\"note\":\"homework help\"}")
        .json().get("id").asLong();
    Reply dismissedOther = head.post("/api/reports/" + teacher.post("/api/reports",
        "{\"url\":\"https://discord.com\",\"kind\":\"unblock\",\"note\":\"please\"}").json().get("id").asLong() + "/dismiss",
        "{\"reason\":\"chat stays blocked\"}");
    assertEquals("dismissed", dismissedOther.json().get("status").asText());
    assertEquals(200, head.post("/api/reports/" + id + "/approve", "{\"reason\":\"used for homework\"}").status());
    assertEquals(200, fetch(VlanClient.PUPIL, "www.reddit.com", "/r/homework"));
    assertEquals(403, fetch(VlanClient.PUPIL, "discord.com", "/"));
  }

  @Test
  void reportsRefuseBadInput() throws Exception {
    assertEquals(400, teacher.post("/api/reports", "{\"url\":\"\",\"kind\":\"inappropriate\"}").status());
    assertEquals(400, teacher.post("/api/reports", "{\"url\":\"http://x.example.com\",\"kind\":\"nasty\"}").status());
    assertEquals(400, teacher.post("/api/reports", "{not json").status());
    assertEquals(400, teacher.post("/api/reports", "[1,2]").status());
    assertEquals(400, head.get("/api/reports?status=everything").status());
  }

  // ---- overrides ----

  @Test
  void aCurriculumOverrideAllowsACategoryForAGroupUntilItExpires() throws Exception {
    assertEquals(403, fetch(VlanClient.PUPIL, "www.youtube.com", "/watch"));
    Reply r = head.post("/api/overrides", "{\"group\":\"pupils\",\"categories\":[\"media-sharing\"],"
        + "\"until\":\"2026-11-23T12:00:00Z\",\"reason\":\"Y9 film studies\"}");
    assertEquals(201, r.status(), r.body());
    long id = r.json().get("id").asLong();
    assertEquals(200, fetch(VlanClient.PUPIL, "www.youtube.com", "/watch"));
    assertEquals(403, fetch(VlanClient.PUPIL, "www.facebook.com", "/"), "only the overridden category");
    gate.clock.setLondon(ProxyHarness.MONDAY + "T12:00");
    assertEquals(403, fetch(VlanClient.PUPIL, "www.youtube.com", "/watch"), "expired by itself");
    assertTrue(head.get("/api/overrides").body().contains("\"id\":" + id));
    assertEquals(204, head.delete("/api/overrides/" + id).status());
    assertEquals(404, head.delete("/api/overrides/" + id).status());
  }

  @Test
  void anOverrideForOneClientAndADomain() throws Exception {
    Reply r = netmgr.post("/api/overrides", "{\"client\":\"127.0.10.77\",\"domains\":[\"www.youtube.com\"],"
        + "\"until\":\"2026-11-23T13:00:00+00:00\",\"reason\":\"SEN support\"}");
    assertEquals(201, r.status(), r.body());
    assertEquals(200, fetch("127.0.10.77", "www.youtube.com", "/"));
    assertEquals(403, fetch("127.0.10.78", "www.youtube.com", "/"));
    assertEquals(204, netmgr.delete("/api/overrides/" + r.json().get("id").asLong()).status());
    assertEquals(403, fetch("127.0.10.77", "www.youtube.com", "/"));
  }

  @Test
  void overridesNeverLiftCircumventionAndRefuseBadInput() throws Exception {
    String until = "\"until\":\"2026-11-23T13:00:00Z\",\"reason\":\"x\"";
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"categories\":[\"circumvention\"]," + until + "}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"domains\":[\"nordvpn.com\"]," + until + "}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"domains\":[\"eu.nordvpn.com\"]," + until + "}").status(),
        "a subdomain of a circumvention site");
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"visitors\",\"categories\":[\"social\"]," + until + "}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"client\":\"127.0.10.1\",\"categories\":[\"social\"]," + until + "}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"categories\":[\"social\"],\"until\":\"2020-01-01T00:00:00Z\",\"reason\":\"x\"}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"categories\":[\"social\"],\"until\":\"tomorrow\",\"reason\":\"x\"}").status());
    assertEquals(400, head.post("/api/overrides", "{\"group\":\"pupils\",\"categories\":[\"social\"],\"until\":\"2026-11-23T13:00:00Z\"}").status());
  }

  // ---- decision, audit, limits ----

  @Test
  void theDecisionEndpointExplainsLessonAndBreak() throws Exception {
    JsonNode lesson = head.get("/api/decision?client=127.0.20.9&url=https://www.facebook.com/x&at=2026-11-23T11:00:00Z").json();
    assertEquals("staff", lesson.get("group").asText());
    assertEquals("block", lesson.get("decision").asText());
    assertEquals("social", lesson.get("category").asText());
    assertEquals("social:facebook.com", lesson.get("rule").asText());
    assertEquals("lesson", lesson.get("period").asText());
    assertEquals("2026-11-23T12:00:00.000+00:00", lesson.get("reopens_at").asText());
    JsonNode lunch = head.get("/api/decision?client=127.0.20.9&host=www.facebook.com&at=2026-11-23T12:30:00Z").json();
    assertEquals("allow", lunch.get("decision").asText());
    assertEquals("break", lunch.get("period").asText());
    assertEquals(400, head.get("/api/decision?client=nobody&host=x.com").status());
    assertEquals(400, head.get("/api/decision?client=127.0.20.9").status());
  }

  @Test
  void everyChangeIsAudited() throws Exception {
    head.post("/api/blocks", "{\"domain\":\"audited.example.com\",\"reason\":\"audit me\"}");
    JsonNode audit = netmgr.get("/api/audit").json();
    assertTrue(audit.toString().contains("\"user\":\"cli:"), "user add from the command line is audited: " + audit);
    assertTrue(audit.toString().contains("audited.example.com"), audit.toString());
    String file = String.join("\n", Files.readAllLines(dir.resolve("logs/audit.jsonl")));
    assertTrue(file.contains("\"action\":\"user-add\"") && file.contains("audited.example.com"), file);
    head.delete("/api/blocks/audited.example.com");
  }

  @Test
  void aBodyOver64KiloBytesGets413() throws Exception {
    Reply r = head.post("/api/blocks", "{\"domain\":\"example.com\",\"reason\":\"" + "x".repeat(70_000) + "\"}");
    assertEquals(413, r.status());
    assertTrue(r.error().contains("too large"), r.body());
  }

  @Test
  void unknownPathsGet404AndTheFrontPageIsTheConsole() throws Exception {
    assertEquals(404, head.get("/api/nothing").status());
    Reply front = head.get("/");
    assertEquals(200, front.status(), "the web console's sign-in page (section 8), never JSON");
    assertTrue(front.raw().header("Content-Type").startsWith("text/html"), front.body());
  }

  @Test
  void theProxyListenersNeverReachTheAdminEndpoint() throws Exception {
    try (VlanClient c = gate.client(VlanClient.OFFICE)) {
      HttpResult r = c.send("GET http://127.0.0.1:" + gate.admin().getPort() + "/api/blocks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(403, r.status());
      assertEquals("self", r.header("X-Schoolgate-Category"));
    }
    try (VlanClient c = gate.client(VlanClient.OFFICE, gate.interceptHttp())) {
      HttpResult r = c.send("GET /healthz HTTP/1.1\r\nHost: school.test:" + gate.admin().getPort() + "\r\n\r\n");
      assertEquals(403, r.status());
    }
  }

  @Test
  void aUserRemovedOnTheCommandLineIsRefusedAtOnce() throws Exception {
    Users.add(dir.resolve("schoolgate.yaml"), "supply", "netmgr");
    AdminClient supply = gate.admin(VlanClient.STAFF, "supply");
    assertEquals(200, supply.get("/api/blocks").status());
    Process p = new ProcessBuilder(CommandLineTest.javaBin(), "-jar", CommandLineTest.JAR.toString(), "user", "remove", "supply",
        "--config", dir.resolve("schoolgate.yaml").toString()).redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    assertEquals(401, supply.get("/api/blocks").status(), "no cached sign-in outlives the user");
  }
}
