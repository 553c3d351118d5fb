package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Hostile clients against the TLS listener: dripping bytes, a thousand idle connections,
 * hang-ups. Each is closed within its timeout, none delays a new connection, and no file
 * descriptor is left behind.
 */
class AbuseTest {
  @TempDir
  static Path dir;
  static TestTls tls;
  static UpstreamServer secure;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    tls = new TestTls(ProxyHarness.NAMES);
    secure = UpstreamServer.tls(tls.serverContext());
    // Hundreds of hostile connections from pupil addresses would (rightly) lock them down; these
    // tests are about resources, so supervision only flags here.
    gate = new ProxyHarness(dir, 80, secure.port(), yaml -> yaml.replace("supervision: lockdown", "supervision: flag"),
        Duration.ofMillis(800));
  }

  @AfterAll
  static void stop() {
    gate.close();
    secure.close();
  }

  private static long openDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(10_000);
    s.bind(new InetSocketAddress(InetAddress.getByName(VlanClient.PUPIL), 0));
    s.connect(gate.interceptTls(), 5_000);
    return s;
  }

  /** A new connection is served (within the socket's read timeout) while the hostile ones are open. */
  private void assertQuickNewConnection() throws Exception {
    try (Socket s = connect()) {
      var ssl = tls.handshake(s, "www.bbc.co.uk", secure.port());
      ssl.close();
    }
  }

  @Test
  void aClientDrippingOneByteAtATimeIsClosedAtTheHelloTimeout() throws Exception {
    byte[] hello = new HelloBuilder().serverName("www.bbc.co.uk").build();
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      s.setSoTimeout(100);
      boolean closed = false;
      for (int i = 0; i < hello.length - 1 && !closed; i++) {
        try {
          out.write(hello[i]);
          out.flush();
          closed = in.read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // expected while the proxy waits for the rest of the hello
        } catch (IOException reset) {
          closed = true;
        }
      }
      assertTrue(closed, "the proxy closed the dripping connection before the hello was whole");
    }
  }

  @Test
  void aThousandIdleConnectionsAreAllClosedAndDelayNobody() throws Exception {
    Await.until("descriptors from earlier tests settle", () -> gate.server.proxy().clients().isEmpty());
    long before = openDescriptors();
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Socket s = new Socket();
      s.setSoTimeout(10_000);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.10." + (1 + i % 250)), 0));
      s.connect(gate.interceptTls(), 5_000);
      idle.add(s);
    }
    assertQuickNewConnection();
    for (Socket s : idle) {
      assertEquals(-1, s.getInputStream().read(), "the proxy closed the idle connection");
      s.close();
    }
    Await.until("the proxy holds no client connections", () -> gate.server.proxy().clients().isEmpty());
    Await.until("no descriptors leaked (before " + before + ", now " + openDescriptors() + ")",
        Duration.ofSeconds(10), () -> openDescriptors() <= before + 5);
    // one attempt a device, host and kind a minute: 1,000 connections from 250 addresses are 250 attempts at least
    assertTrue(gate.events.events.stream().filter(e -> e.kind().equals("not-tls")).map(e -> e.client()).distinct().count() >= 250);
  }

  @Test
  void garbageAndHangUpsDoNotLeakConnections() throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Socket s = connect()) {
        s.getOutputStream().write(i % 2 == 0 ? "GET / HTTP/1.1\r\n\r\n".getBytes() : new byte[] {22, 3, 1, 0, 5, 1});
      }
    }
    assertQuickNewConnection();
    Await.until("every hostile connection is gone", () -> gate.server.proxy().clients().isEmpty());
  }
}
