package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;

/**
 * The intercept listeners, reached the way a redirected device reaches them: a plain HTTP
 * request with only a Host header, and a TLS connection with no proxy in sight, decided on its
 * server name without decryption.
 */
class InterceptTest {
  @TempDir
  static Path dir;
  static TestTls tls;
  static UpstreamServer web;
  static UpstreamServer secure;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    tls = new TestTls(ProxyHarness.NAMES);
    web = UpstreamServer.http();
    secure = UpstreamServer.tls(tls.serverContext());
    gate = new ProxyHarness(dir, web.port(), secure.port(), yaml -> yaml);
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

  private Socket tlsSocket(String source) throws Exception {
    Socket s = new Socket();
    s.setSoTimeout(10_000);
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(gate.interceptTls(), 5_000);
    return s;
  }

  private String httpsGet(String source, String sni, String path) throws Exception {
    try (Socket raw = tlsSocket(source)) {
      SSLSocket s = tls.handshake(raw, sni, secure.port());
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      String last = status;
      for (String l; (l = in.readLine()) != null; ) {
        last = l;
      }
      return status + " | " + last;
    }
  }

  /** Sends raw bytes to the TLS listener; true if the proxy then closed the connection. */
  private boolean sendAndExpectClose(String source, byte[] bytes) throws Exception {
    try (Socket s = tlsSocket(source)) {
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int n;
      while ((n = in.read(buf)) > 0) {
        assertEquals(0x15, buf[0], "only a TLS alert may come back");
      }
      return n == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  // ---- intercepted HTTP ----

  @Test
  void interceptedHttpIsDecidedOnTheHostHeader() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL, gate.interceptHttp())) {
      HttpResult blocked = c.send("GET /feed HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n");
      assertEquals(403, blocked.status());
      assertEquals("social", blocked.header("X-Schoolgate-Category"));
      assertTrue(blocked.body().contains("www.facebook.com"));
      HttpResult allowed = c.send("GET /news HTTP/1.1\r\nHost: www.bbc.co.uk\r\n\r\n");
      assertEquals(200, allowed.status());
      assertEquals("upstream www.bbc.co.uk /news", allowed.body(), "no port in Host: upstream.http_port is used");
      HttpResult withPort = c.send("GET /p HTTP/1.1\r\nHost: example.org:" + web.port() + "\r\n\r\n");
      assertEquals(200, withPort.status());
    }
    AccessRecord line = gate.events.awaitAccess("intercepted block", a -> "/feed".equals(a.path()));
    assertEquals("intercept_http", line.listener());
    assertEquals("block", line.decision());
  }

  @Test
  void interceptedHttpAcceptsAbsoluteFormAndRefusesAMissingHost() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF, gate.interceptHttp())) {
      assertEquals(200, c.send("GET http://www.bbc.co.uk/abs HTTP/1.1\r\nHost: www.bbc.co.uk\r\n\r\n").status());
      assertEquals(400, c.send("GET /x HTTP/1.1\r\n\r\n").status());
    }
    try (VlanClient c = gate.client(VlanClient.STAFF, gate.interceptHttp())) {
      assertEquals(405, c.send("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n").status());
    }
  }

  @Test
  void interceptedHttpNeverReachesTheProxysOwnListeners() throws Exception {
    try (VlanClient c = gate.client(VlanClient.OFFICE, gate.interceptHttp())) {
      assertEquals(403, c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + gate.interceptHttp().getPort() + "\r\n\r\n").status());
      assertEquals(403, c.send("GET / HTTP/1.1\r\nHost: proxy.test:" + gate.proxy().getPort() + "\r\n\r\n").status());
    }
  }

  // ---- intercepted TLS ----

  @Test
  void anAllowedTlsConnectionIsRelayedToItsServerName() throws Exception {
    String answer = httpsGet(VlanClient.PUPIL, "www.bbc.co.uk", "/tls");
    assertEquals("HTTP/1.1 200 OK | upstream www.bbc.co.uk /tls sni=www.bbc.co.uk", answer);
    AccessRecord line = gate.events.awaitAccess("tls allow", a -> a.method().equals("TLS") && a.host().equals("www.bbc.co.uk"));
    assertEquals("intercept_tls", line.listener());
    assertEquals("allow", line.decision());
    assertEquals(secure.port(), line.port());
    assertTrue(line.bytesUp() > 200 && line.bytesDown() > 200, line.toString());
  }

  @Test
  void aBlockedServerNameIsClosedWithoutAnyUpstreamConnection() throws Exception {
    int before = secure.sniNames().size();
    assertThrows(SSLException.class, () -> httpsGet(VlanClient.PUPIL, "www.facebook.com", "/"));
    AccessRecord line = gate.events.awaitAccess("tls block", a -> a.method().equals("TLS") && a.host().equals("www.facebook.com"));
    assertEquals("block", line.decision());
    assertEquals("social", line.category());
    assertEquals(before, secure.sniNames().size(), "no upstream connection was made");
  }

  @Test
  void staffTlsToSocialMediaFollowsTheTimetable() throws Exception {
    assertThrows(SSLException.class, () -> httpsGet(VlanClient.STAFF, "www.facebook.com", "/"));
    gate.clock.setLondon(ProxyHarness.MONDAY + "T12:30");
    assertTrue(httpsGet(VlanClient.STAFF, "www.facebook.com", "/lunch").startsWith("HTTP/1.1 200"));
  }

  @Test
  void noServerNameIsACircumventionAttempt() throws Exception {
    String device = VlanClient.freshPupil();
    assertTrue(sendAndExpectClose(device, new HelloBuilder().build()));
    CircumventionRecord e = gate.events.awaitEvent("no-sni", ev -> ev.kind().equals("no-sni"));
    assertEquals(device, e.client());
  }

  @Test
  void encryptedClientHelloBehindAPublicNameIsACircumventionAttempt() throws Exception {
    assertTrue(sendAndExpectClose(VlanClient.freshPupil(), new HelloBuilder().serverName("cloudflare-ech.com").ech().build()));
    CircumventionRecord e = gate.events.awaitEvent("ech", ev -> ev.kind().equals("ech"));
    assertEquals("cloudflare-ech.com", e.host());
  }

  @Test
  void aDecoyEchExtensionOnAnOrdinaryNameIsNotBlocked() throws Exception {
    byte[] hello = new HelloBuilder().serverName("example.org").ech().build();
    try (Socket s = tlsSocket(VlanClient.PUPIL)) {
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      Await.until("the upstream saw the decoy-ECH hello's server name", () -> secure.sniNames().contains("example.org"));
    }
    assertTrue(gate.events.events.stream().noneMatch(ev -> ev.host().equals("example.org")));
  }

  @Test
  void aRecordedChromeHelloWithItsDecoyEchIsRelayedOnItsServerName() throws Exception {
    byte[] chrome = ClientHelloTest.recorded("chrome-hello-www.bbc.co.uk.bin");
    int before = (int) secure.sniNames().stream().filter("www.bbc.co.uk"::equals).count();
    try (Socket s = tlsSocket(VlanClient.PUPIL)) {
      s.getOutputStream().write(chrome);
      s.getOutputStream().flush();
      Await.until("the upstream saw Chrome's hello", () -> secure.sniNames().stream().filter("www.bbc.co.uk"::equals).count() > before);
    }
    assertTrue(gate.events.events.stream().noneMatch(ev -> ev.host().equals("www.bbc.co.uk")));
  }

  @Test
  void aHelloSplitAcrossRecordsAndSegmentsIsReassembled() throws Exception {
    byte[] hello = new HelloBuilder().serverName("www.example.org").padding(3000).recordSize(700).build();
    try (Socket s = tlsSocket(VlanClient.PUPIL)) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < hello.length; i += 500) {
        out.write(hello, i, Math.min(500, hello.length - i));
        out.flush();
      }
      Await.until("the upstream saw the split hello", () -> secure.sniNames().contains("www.example.org"));
    }
  }

  @Test
  void bytesThatAreNotTlsAreACircumventionAttempt() throws Exception {
    assertTrue(sendAndExpectClose(VlanClient.freshPupil(), "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)));
    CircumventionRecord e = gate.events.awaitEvent("not-tls", ev -> ev.kind().equals("not-tls") && ev.detail().contains("not a TLS"));
    assertEquals("pupils", e.group());
  }

  @Test
  void anOversizedHelloIsClosed() throws Exception {
    assertTrue(sendAndExpectClose(VlanClient.freshPupil(), new HelloBuilder().serverName("example.org").padding(20_000).build()));
  }

  @Test
  void aTruncatedHelloThenHangUpLeavesNothingBehind() throws Exception {
    byte[] hello = new HelloBuilder().serverName("example.org").build();
    try (Socket s = tlsSocket(VlanClient.PUPIL)) {
      s.getOutputStream().write(hello, 0, 20);
      s.getOutputStream().flush();
    }
    assertTrue(httpsGet(VlanClient.PUPIL, "www.bbc.co.uk", "/after-truncated").startsWith("HTTP/1.1 200"));
  }

  @Test
  void silenceIsClosedAfterTheHelloTimeout(@TempDir Path other) throws Exception {
    // A second gateway with a 300 ms hello timeout, so the test waits 300 ms rather than 10 s.
    // When it fires is HelloPeekTest's business (on a clock the test moves); here: that it does.
    try (ProxyHarness quick = new ProxyHarness(other, web.port(), secure.port(), y -> y, Duration.ofMillis(300))) {
      try (Socket s = new Socket()) {
        s.setSoTimeout(5_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(VlanClient.PUPIL), 0));
        s.connect(quick.interceptTls());
        assertEquals(-1, s.getInputStream().read(), "closed by the proxy");
      }
      quick.events.awaitEvent("silence", ev -> ev.kind().equals("not-tls") && ev.detail().contains("no ClientHello"));
    }
  }
}
