package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;

/**
 * SPEC section 4: an allowed CONNECT is answered 200 only once its upstream connection is open;
 * a name that does not resolve or an upstream that refuses gets 502, one that does not answer in
 * connect_timeout 504, each with a sentence, and the access line logs the status the client got.
 * The HTTPS ports (443 and upstream.tls_port, where the ClientHello is peeked) and any other
 * allowed port alike.
 */
class ConnectAnswerTest {
  @TempDir
  static Path dir;
  /** A listener whose backlog is full and never accepts: the kernel drops further SYNs. */
  static ServerSocket silent;
  static final List<Socket> fillers = new ArrayList<>();
  static int closedPort;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    for (int i = 0; i < 4; i++) {
      Socket f = new Socket();
      try {
        f.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), 200);
      } catch (IOException e) {
        // the backlog is full: exactly what this test needs
      }
      fillers.add(f);
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    // upstream.tls_port is the silent listener (peeked like 443); the closed port is another allowed port
    gate = new ProxyHarness(dir, 80, silent.getLocalPort(), yaml -> yaml
        .replace("allowed_connect_ports: [443, ", "allowed_connect_ports: [443, " + closedPort + ", ")
        .replace("connect_timeout: 2s", "connect_timeout: 1s"));
  }

  @AfterAll
  static void stop() throws IOException {
    gate.close();
    for (Socket f : fillers) {
      f.close();
    }
    silent.close();
  }

  private static HttpResult connect(String authority) throws IOException {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      return c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    }
  }

  private static AccessRecord accessLine(String host, int port) {
    return gate.events.awaitAccess("the access line of CONNECT " + host + ":" + port,
        a -> "CONNECT".equals(a.method()) && host.equals(a.host()) && a.port() == port);
  }

  @Test
  void aNameThatDoesNotResolveGets502OnTheHttpsPort() throws Exception {
    HttpResult r = connect("no-such-name.test:443");
    assertEquals(502, r.status(), "no 200 before the upstream is open");
    assertTrue(r.body().contains("could not find no-such-name.test"), r.body());
    assertEquals(502, accessLine("no-such-name.test", 443).status());
  }

  @Test
  void anUpstreamThatRefusesGets502OnTheHttpsPort() throws Exception {
    // nothing listens on 127.0.0.1:443 in the tests (every name maps to 127.0.0.1)
    HttpResult r = connect("www.bbc.co.uk:443");
    assertEquals(502, r.status(), "no 200 before the upstream is open");
    assertTrue(r.body().contains("refused"), r.body());
    assertEquals(502, accessLine("www.bbc.co.uk", 443).status());
  }

  @Test
  void anUpstreamThatDoesNotAnswerGets504OnTheTlsPort() throws Exception {
    HttpResult r = connect("example.org:" + silent.getLocalPort());
    assertEquals(504, r.status(), "no 200 before the upstream is open");
    assertTrue(r.body().contains("did not answer in time"), r.body());
    assertEquals(504, accessLine("example.org", silent.getLocalPort()).status());
  }

  @Test
  void anUpstreamThatRefusesGets502OnAnotherAllowedPort() throws Exception {
    HttpResult r = connect("www.example.org:" + closedPort);
    assertEquals(502, r.status());
    assertTrue(r.body().contains("refused"), r.body());
    assertEquals(502, accessLine("www.example.org", closedPort).status());
  }
}
