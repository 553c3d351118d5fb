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
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;

/**
 * A ClientHello that repeats an extension (RFC 8446 4.2: "There MUST NOT be more than one
 * extension of the same type"; servers refuse it) is malformed: refused like any unparseable
 * hello, never decided on one copy while the origin reads the other. Checked on the intercept
 * TLS listener and in a CONNECT tunnel, in both orders of an allowed and a blocked name.
 */
class DuplicateExtensionTest {
  private static final String ALLOWED = "www.bbc.co.uk";
  private static final String BLOCKED = "www.facebook.com";

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

  /** Sends {@code hello} to the TLS listener from {@code device}; true once the proxy has closed (at most an alert back). */
  private static boolean closedAfterHello(String device, byte[] hello) throws Exception {
    try (Socket s = new Socket()) {
      s.setSoTimeout(10_000);
      s.bind(new InetSocketAddress(InetAddress.getByName(device), 0));
      s.connect(gate.interceptTls(), 5_000);
      s.getOutputStream().write(hello);
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

  private static void assertRefusedAsMalformed(String device, String listener, String detail) {
    CircumventionRecord e = gate.events.awaitEvent("the malformed hello from " + device, ev -> ev.client().equals(device));
    assertEquals("not-tls", e.kind(), e.detail());
    assertTrue(e.detail().contains(detail), e.detail());
    AccessRecord line = gate.events.awaitAccess("the refused connection from " + device, a -> a.client().equals(device));
    assertEquals(listener, line.listener());
    assertEquals("block", line.decision());
    assertEquals(403, line.status());
  }

  @Test
  void theSameSetUpRelaysAHelloWithOneServerName() throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(VlanClient.freshPupil()), 0));
      s.connect(gate.interceptTls(), 5_000);
      s.getOutputStream().write(new HelloBuilder().serverName("www.example.org").build());
      s.getOutputStream().flush();
      Await.until("the upstream saw the single-name hello", () -> secure.sniNames().contains("www.example.org"));
    }
  }

  @ParameterizedTest(name = "server_name {0}, then server_name {1}")
  @CsvSource({ALLOWED + ", " + BLOCKED, BLOCKED + ", " + ALLOWED})
  void aHelloWithTwoServerNamesIsClosedOnTheTlsListenerWithoutReachingTheUpstream(String first, String second)
      throws Exception {
    String device = VlanClient.freshPupil();
    int seen = secure.sniNames().size();
    assertTrue(closedAfterHello(device, new HelloBuilder().serverName(first).anotherServerName(second).build()));
    assertRefusedAsMalformed(device, "intercept_tls", "server_name");
    assertEquals(seen, secure.sniNames().size(), "no hello reached the upstream");
  }

  @ParameterizedTest(name = "server_name {0}, then server_name {1}")
  @CsvSource({ALLOWED + ", " + BLOCKED, BLOCKED + ", " + ALLOWED})
  void aHelloWithTwoServerNamesInAnAllowedTunnelIsClosedBeforeItGoesUpstream(String first, String second)
      throws Exception {
    String device = VlanClient.freshPupil();
    int seen = secure.sniNames().size();
    try (VlanClient c = gate.client(device)) {
      String authority = ALLOWED + ":" + secure.port();
      assertEquals(200, c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").status());
      c.socket().getOutputStream().write(new HelloBuilder().serverName(first).anotherServerName(second).build());
      c.socket().getOutputStream().flush();
      assertTrue(c.closedByPeer(), "the proxy closed the tunnel");
    }
    assertRefusedAsMalformed(device, "proxy", "server_name");
    assertEquals(seen, secure.sniNames().size(), "no hello reached the upstream");
  }

  @Test
  void aHelloRepeatingAnyOtherExtensionIsClosedToo() throws Exception {
    String device = VlanClient.freshPupil();
    byte[] twoVersionLists = new HelloBuilder().serverName(ALLOWED).extension(43, new byte[] {2, 3, 3}).build();
    assertTrue(closedAfterHello(device, twoVersionLists));
    assertRefusedAsMalformed(device, "intercept_tls", "extension 43");
  }
}
