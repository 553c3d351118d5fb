package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;

/**
 * Hosts that every browser reads as IPv4 addresses (WHATWG URL, "IPv4 parser": a last label that
 * is a number makes the host an address, with 0x hex, leading-0 octal, and fewer than four parts
 * filling the last) are decided as those addresses and connected to them, never looked up in DNS;
 * a host ending in a number that is no IPv4 address is refused as browsers refuse it.
 */
class NumericHostRequestsTest {
  /** Each is 127.0.0.1 to a browser. */
  static String[] loopbackSpellings() {
    return new String[] {"2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "0X7F.0.1", "127.0.0.1.", "0x7f.0.0x0.01"};
  }

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

  private static HttpResult send(String source, InetSocketAddress listener, String raw) throws Exception {
    try (VlanClient c = gate.client(source, listener)) {
      return c.send(raw);
    }
  }

  @ParameterizedTest
  @MethodSource("loopbackSpellings")
  void aNumericHostThroughTheExplicitProxyGoesToTheAddressBrowsersReadInIt(String host) throws Exception {
    String device = VlanClient.freshPupil();
    int queries = gate.dns.queries();
    String authority = host + ":" + web.port();
    HttpResult r = send(device, gate.proxy(), "GET http://" + authority + "/numeric HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertEquals(200, r.status(), r.body());
    assertEquals("127.0.0.1:" + web.port(), web.take().headers().get("Host"), "the upstream is named as the browser would");
    AccessRecord line = gate.events.awaitAccess("the numeric request from " + device, a -> a.client().equals(device));
    assertEquals("127.0.0.1", line.host());
    assertEquals(web.port(), line.port());
    assertEquals(queries, gate.dns.queries(), "no DNS lookup for an address");
  }

  @Test
  void aNumericHostHeaderOnTheInterceptListenerGoesToThatAddress() throws Exception {
    int queries = gate.dns.queries();
    HttpResult r = send(VlanClient.PUPIL, gate.interceptHttp(),
        "GET /intercepted HTTP/1.1\r\nHost: 2130706433:" + web.port() + "\r\n\r\n");
    assertEquals(200, r.status(), r.body());
    assertEquals("/intercepted", web.take().uri());
    assertEquals(queries, gate.dns.queries());
  }

  @Test
  void aNumericSpellingOfTheProxysOwnAddressIsStillTheProxy() throws Exception {
    String authority = "0x7f.1:" + gate.admin().getPort();
    HttpResult r = send(VlanClient.OFFICE, gate.proxy(),
        "GET http://" + authority + "/api/blocks HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertEquals(403, r.status(), r.body());
    assertEquals("self", r.header("X-Schoolgate-Category"));
  }

  @ParameterizedTest
  @MethodSource("loopbackSpellings")
  void connectToANumericHostIsAnAttemptToReachABareIpAddress(String host) throws Exception {
    String device = VlanClient.freshPupil();
    int queries = gate.dns.queries();
    HttpResult r = send(device, gate.proxy(), "CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n");
    assertEquals(403, r.status(), r.body());
    assertEquals("circumvention", r.header("X-Schoolgate-Category"));
    CircumventionRecord e = gate.events.awaitEvent("ip-literal from " + device, ev -> ev.client().equals(device));
    assertEquals("ip-literal", e.kind());
    assertEquals("127.0.0.1", e.host());
    AccessRecord line = gate.events.awaitAccess("the CONNECT from " + device, a -> a.client().equals(device));
    assertEquals("127.0.0.1", line.host());
    assertEquals("ip-literal:127.0.0.1", line.rule());
    assertEquals(queries, gate.dns.queries());
  }

  @Test
  void aNumericServerNameOnTheTlsListenerIsAnAttemptToReachABareIpAddress() throws Exception {
    String device = VlanClient.freshPupil();
    int seen = secure.sniNames().size();
    try (Socket s = new Socket()) {
      s.setSoTimeout(10_000);
      s.bind(new InetSocketAddress(InetAddress.getByName(device), 0));
      s.connect(gate.interceptTls(), 5_000);
      s.getOutputStream().write(new HelloBuilder().serverName("0x7f.1").build());
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // a TLS alert at most, then the close
      }
    } catch (java.net.SocketException reset) {
      // closed
    }
    CircumventionRecord e = gate.events.awaitEvent("ip-literal from " + device, ev -> ev.client().equals(device));
    assertEquals("ip-literal", e.kind());
    assertEquals("127.0.0.1", e.host());
    assertEquals(seen, secure.sniNames().size(), "nothing reached the upstream");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4.5", "999.1", "256.0.0.1", "1.2.65536", "4294967296", "0x100000000", "09.1.1.1",
      "example.08", "school.0x1f"})
  void aHostEndingInANumberThatIsNoIpv4AddressIsABadHostNeverLookedUp(String host) throws Exception {
    String device = VlanClient.freshPupil();
    int queries = gate.dns.queries();
    int requests = web.requestCount();
    String authority = host + ":" + web.port();
    HttpResult get = send(device, gate.proxy(), "GET http://" + authority + "/ HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertEquals(400, get.status(), get.body());
    assertTrue(get.body().contains("is not a host name"), get.body());
    assertEquals(400, send(device, gate.proxy(), "CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n").status());
    assertEquals(400, send(device, gate.interceptHttp(), "GET / HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").status());
    AccessRecord line = gate.events.awaitAccess("the bad host from " + device, a -> a.client().equals(device));
    assertEquals(400, line.status());
    assertEquals(queries, gate.dns.queries(), "no DNS lookup");
    assertEquals(requests, web.requestCount(), "nothing went upstream");
  }
}
