package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RawOrigin;
import org.schoolgate.e2e.support.VlanClient;

/**
 * A CONNECT to an HTTPS port is answered 200 once the upstream for its target is open (SPEC
 * section 4), and the ClientHello's name is decided after that: a tunnel whose hello names a
 * blocked site sends the origin nothing (the connection opened for the CONNECT is closed unused),
 * and an allowed one reaches it with the client's own hello first.
 */
class ConnectAfterDecisionTest {
  @TempDir
  static Path dir;
  static RawOrigin origin;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    origin = new RawOrigin(line -> new byte[0]);
    gate = new ProxyHarness(dir, 80, origin.port(), yaml -> yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    gate.close();
    origin.close();
  }

  private static String connect(String host) {
    String authority = host + ":" + origin.port();
    return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
  }

  @Test
  void aTunnelWhoseHelloNamesABlockedSiteSendsTheOriginNothing() throws Exception {
    int before = origin.received().length();
    try (VlanClient c = gate.client(VlanClient.freshPupil())) {
      assertEquals(200, c.send(connect("www.bbc.co.uk")).status());
      c.socket().getOutputStream().write(new HelloBuilder().serverName("www.facebook.com").build());
      assertTrue(c.closedByPeer());
    }
    gate.events.awaitAccess("the refused tunnel", a -> "CONNECT".equals(a.method()) && "block".equals(a.decision()));
    assertEquals(before, origin.received().length(), "not one byte of the blocked hello reached the origin");
  }

  @Test
  void aHelloSentInTheSameSegmentAsTheConnectIsPeekedNotSwallowed() throws Exception {
    byte[] hello = new HelloBuilder().serverName("www.bbc.co.uk").build();
    byte[] head = connect("www.bbc.co.uk").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] both = java.util.Arrays.copyOf(head, head.length + hello.length);
    System.arraycopy(hello, 0, both, head.length, hello.length);
    int before = origin.received().length();
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      c.socket().getOutputStream().write(both);
      assertEquals(200, c.read().status());
      Await.until("the hello reaches the origin", () -> origin.received().length() >= before + hello.length);
    }
    assertEquals(new String(hello, java.nio.charset.StandardCharsets.ISO_8859_1),
        origin.received().substring(before, before + hello.length));
  }

  @Test
  void anAllowedTunnelConnectsAfterTheHelloAndSendsItFirst() throws Exception {
    byte[] hello = new HelloBuilder().serverName("www.bbc.co.uk").build();
    int before = origin.received().length();
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      assertEquals(200, c.send(connect("www.bbc.co.uk")).status());
      c.socket().getOutputStream().write(hello);
      Await.until("the hello reaches the origin", () -> origin.received().length() >= before + hello.length);
    }
    assertEquals(new String(hello, java.nio.charset.StandardCharsets.ISO_8859_1),
        origin.received().substring(before, before + hello.length), "the client's own hello, byte for byte");
  }
}
