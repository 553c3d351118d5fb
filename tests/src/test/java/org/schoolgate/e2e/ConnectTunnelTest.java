package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;

/** CONNECT through the explicit listener: real TLS end to end, refusals, and the circumvention it can see. */
class ConnectTunnelTest {
  @TempDir
  static Path dir;
  static TestTls tls;
  static UpstreamServer secure;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    tls = new TestTls(ProxyHarness.NAMES);
    secure = UpstreamServer.tls(tls.serverContext());
    gate = new ProxyHarness(dir, 80, secure.port(), yaml -> yaml);
  }

  @AfterAll
  static void stop() {
    gate.close();
    secure.close();
  }

  @BeforeEach
  void lessonTime() {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
  }

  private HttpResult connect(VlanClient c, String authority) throws Exception {
    return c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
  }

  @Test
  void pupilTunnelsTlsToAnAllowedSite() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = connect(c, "www.bbc.co.uk:" + secure.port());
      assertEquals(200, r.status());
      SSLSocket s = tls.handshake(c.socket(), "www.bbc.co.uk", secure.port());
      OutputStream out = s.getOutputStream();
      out.write(("GET /secure HTTP/1.1\r\nHost: www.bbc.co.uk\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 200 OK", in.readLine());
      String last = null;
      for (String l; (l = in.readLine()) != null; ) {
        last = l;
      }
      assertTrue(last.endsWith("/secure sni=www.bbc.co.uk"), last);
      s.close();
    }
    AccessRecord line = gate.events.awaitAccess("tunnel", a -> a.method().equals("CONNECT") && a.host().equals("www.bbc.co.uk")
        && a.client().equals(VlanClient.PUPIL));
    assertEquals("allow", line.decision());
    assertEquals(200, line.status());
    assertTrue(line.bytesUp() > 100 && line.bytesDown() > 100, "TLS bytes counted both ways: " + line);
  }

  @Test
  void aTunnelToAnAllowedHostCarryingAHelloForABlockedOneIsClosed() throws Exception {
    try (VlanClient c = gate.client(VlanClient.freshPupil())) {
      assertEquals(200, connect(c, "www.bbc.co.uk:" + secure.port()).status());
      org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLException.class,
          () -> tls.handshake(c.socket(), "www.facebook.com", secure.port()));
    }
    assertTrue(secure.sniNames().stream().noneMatch(n -> n.equals("www.facebook.com")), "the hello never went upstream");
    AccessRecord line = gate.events.awaitAccess("fronted tunnel", a -> a.method().equals("CONNECT") && "block".equals(a.decision())
        && "social:facebook.com".equals(a.rule()));
    assertEquals(403, line.status());
  }

  @Test
  void aTunnelToPort443ThatDoesNotSpeakTlsIsACircumventionAttempt() throws Exception {
    String device = VlanClient.freshPupil();
    try (VlanClient c = gate.client(device)) {
      assertEquals(200, connect(c, "www.bbc.co.uk:" + secure.port()).status());
      c.write("SSH-2.0-OpenSSH_9.6\r\n");
      assertTrue(c.closedByPeer());
    }
    CircumventionRecord e = gate.events.awaitEvent("not-tls in a tunnel", ev -> ev.client().equals(device));
    assertEquals("not-tls", e.kind());
    assertTrue(e.detail().contains("not TLS in a tunnel"), e.detail());
  }

  @Test
  void blockedConnectGets403WithTheCategoryAndNoTunnel() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = connect(c, "www.facebook.com:443");
      assertEquals(403, r.status());
      assertEquals("social", r.header("X-Schoolgate-Category"));
    }
    assertEquals(List.of(), secure.sniNames().stream().filter(n -> n.contains("facebook")).toList());
  }

  @Test
  void connectToAnotherPortIsACircumventionAttempt() throws Exception {
    String device = VlanClient.freshPupil();
    try (VlanClient c = gate.client(device)) {
      assertEquals(403, connect(c, "example.org:22").status());
    }
    CircumventionRecord e = gate.events.awaitEvent("connect-port", ev -> ev.kind().equals("connect-port"));
    assertEquals(device, e.client());
    assertEquals("pupils", e.group());
    assertEquals("example.org", e.host());
    String file = org.schoolgate.testing.Await.value("the connect-port line in events.jsonl", () -> gate.logLines("events.jsonl", 1)
        .stream().filter(l -> l.contains("connect-port") && l.contains(device)).findFirst().orElse(null));
    assertTrue(file.contains("\"client\":\"" + device + "\"") && file.contains("\"host\":\"example.org\""), file);
  }

  @Test
  void connectToABareIpAddressIsACircumventionAttempt() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = connect(c, "127.0.0.1:" + secure.port());
      assertEquals(403, r.status());
      assertEquals("circumvention", r.header("X-Schoolgate-Category"));
    }
    try (VlanClient c = gate.client(VlanClient.freshPupil())) {
      assertEquals(403, connect(c, "[::1]:443").status());
    }
    gate.events.awaitEvent("ip-literal v4", ev -> ev.kind().equals("ip-literal") && ev.host().equals("127.0.0.1"));
    gate.events.awaitEvent("ip-literal v6", ev -> ev.kind().equals("ip-literal") && ev.host().equals("::1"));
  }

  @Test
  void aCircumventionSiteIsBlockedAndRecorded() throws Exception {
    try (VlanClient c = gate.client(VlanClient.OFFICE)) {
      assertEquals(403, connect(c, "nordvpn.com:443").status());
    }
    CircumventionRecord e = gate.events.awaitEvent("vpn site", ev -> ev.host().equals("nordvpn.com"));
    assertEquals("circumvention-site", e.kind());
    assertEquals("office", e.group());
  }

  @Test
  void ordinaryBlocksAreNotCircumventionEvents() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      assertEquals(403, connect(c, "discord.com:443").status());
    }
    gate.events.awaitAccess("discord", a -> a.host().equals("discord.com"));
    assertTrue(gate.events.events.stream().noneMatch(ev -> ev.host().equals("discord.com")));
  }
}
