package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/** Bad input and unreachable upstreams: a clear answer every time, and the proxy keeps serving. */
class ErrorPathsTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, yaml -> yaml.replace("connect_timeout: 2s", "connect_timeout: 700ms"));
    gate.dns.put("dns-only.test", InetAddress.getByName("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  private void assertStillServing() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      assertEquals(200, c.get("http://example.org:" + web.port() + "/alive").status());
    }
  }

  @Test
  void aMalformedRequestLineGets400AndAClose() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = c.send("THIS IS NOT HTTP\r\n\r\n");
      assertEquals(400, r.status());
      assertTrue(c.closedByPeer());
    }
    assertStillServing();
  }

  @Test
  void garbageBytesGet400() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = c.send("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003garbage\r\n\r\n");
      assertEquals(400, r.status());
    }
    assertStillServing();
  }

  @Test
  void headersOverTheLimitGet431() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = c.send("GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n");
      assertEquals(431, r.status());
    }
    assertStillServing();
  }

  @Test
  void aRequestWithNoHostGets400() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      assertEquals(400, c.send("GET /nohost HTTP/1.1\r\n\r\n").status());
    }
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      assertEquals(400, c.send("GET http://bad host/ HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }
  }

  @Test
  void aNameDnsDoesNotKnowGets502() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = c.get("http://no-such-name.test:" + web.port() + "/");
      assertEquals(502, r.status());
      assertTrue(r.body().contains("could not find no-such-name.test"), r.body());
    }
    assertTrue(gate.dns.queries() > 0, "the loopback DNS server was asked");
  }

  @Test
  void aNameOnlyDnsKnowsIsResolvedAsynchronously() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = c.get("http://dns-only.test:" + web.port() + "/dns");
      assertEquals(200, r.status());
      assertTrue(r.body().endsWith("/dns"));
    }
  }

  @Test
  void aRefusedConnectionGets502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = c.get("http://example.org:" + closedPort + "/");
      assertEquals(502, r.status());
      assertTrue(r.body().contains("refused"), r.body());
    }
  }

  @Test
  void anUpstreamThatNeverAcceptsGets504WithinTheConnectTimeout() throws Exception {
    // A listener with a full backlog that never accepts: the kernel drops further SYNs.
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<Socket> fillers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Socket f = new Socket();
        try {
          f.connect(new InetSocketAddress("127.0.0.1", s.getLocalPort()), 200);
        } catch (java.io.IOException e) {
          // the backlog is full: exactly what this test needs
        }
        fillers.add(f);
      }
      try (VlanClient c = gate.client(VlanClient.STAFF)) {
        HttpResult r = c.get("http://example.org:" + s.getLocalPort() + "/");
        assertEquals(504, r.status());
      }
      for (Socket f : fillers) {
        f.close();
      }
    }
  }

  @Test
  void anUpstreamThatHangsUpWithoutAnsweringGets502() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      assertEquals(502, c.get("http://example.org:" + web.port() + "/close").status());
    }
    assertStillServing();
  }

  @Test
  void theGatewaysOwnServicesAreRefusedAndAStalledRefusedUploadIsClosed(@org.junit.jupiter.api.io.TempDir Path other)
      throws Exception {
    try (ProxyHarness strict = new ProxyHarness(other, web.port(), 443, y -> y
        .replace("refuse_local: false", "refuse_local: true").replace("idle_timeout: 30s", "idle_timeout: 700ms"))) {
      try (VlanClient c = strict.client(VlanClient.OFFICE)) {
        HttpResult byAddress = c.get("http://127.0.0.1:" + web.port() + "/secret");
        assertEquals(403, byAddress.status());
        assertEquals("self", byAddress.header("X-Schoolgate-Category"));
        assertEquals(403, c.get("http://school.test:" + web.port() + "/secret").status(), "a name for 127.0.0.1 too");
      }
      try (VlanClient c = strict.client(VlanClient.PUPIL)) {
        c.write("POST http://www.facebook.com/upload HTTP/1.1\r\nHost: www.facebook.com\r\nContent-Length: 1000000\r\n\r\nabc");
        assertEquals(403, c.read().status());
        assertTrue(c.closedByPeer(), "closed once the refused upload went idle");
      }
    }
  }

  @Test
  void theProxyNeverConnectsToItsOwnListeners() throws Exception {
    int own = gate.proxy().getPort();
    int intercept = gate.interceptHttp().getPort();
    try (VlanClient c = gate.client(VlanClient.OFFICE)) {
      HttpResult byAddress = c.send("GET http://127.0.0.1:" + own + "/ HTTP/1.1\r\nHost: 127.0.0.1:" + own + "\r\n\r\n");
      assertEquals(403, byAddress.status());
      assertEquals("self", byAddress.header("X-Schoolgate-Category"));
      HttpResult byName = c.send("GET http://proxy.test:" + intercept + "/ HTTP/1.1\r\nHost: proxy.test:" + intercept + "\r\n\r\n");
      assertEquals(403, byName.status());
    }
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      // Origin-form with a Host header naming the proxy itself: the classic reconnect storm.
      HttpResult r = c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + own + "\r\n\r\n");
      assertEquals(403, r.status());
    }
    assertStillServing();
  }
}
