package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/**
 * One address must not take every file descriptor (slowhttptest -H -c 10000 did): a limit per
 * client, a limit for all that keeps a reserve for the admin listener, and a deadline for a
 * whole request head that dripping bytes cannot extend.
 */
class ConnectionLimitsTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, yaml -> yaml + """
        limits:
          connections_per_client: 20
          request_head_timeout: 1s
        """);
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  private static Socket open(String source, InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(10_000);
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(to, 5_000);
    return s;
  }

  /** True if the proxy closed the connection without a word (end of stream or reset). */
  private static boolean closedAtOnce(Socket s) throws IOException {
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Reads what is left until the proxy closes (end of stream or reset): true, or false at the socket's timeout. */
  private static boolean readsToTheClose(Socket s) throws IOException {
    try {
      while (s.getInputStream().read() != -1) {
        // the rest of the answer
      }
      return true;
    } catch (SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private static String metrics() throws IOException {
    return new AdminClient(VlanClient.STAFF, gate.admin(), null, null).get("/metrics").body();
  }

  /** The value of one series in a Prometheus scrape, or -1 if it is not there. */
  private static double metric(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  /** Sends a GET on {@code s}: true if it was answered 200, false if the proxy had closed the connection. */
  private static boolean served(Socket s) throws IOException {
    try {
      s.getOutputStream().write(("GET http://www.bbc.co.uk:" + web.port() + "/held HTTP/1.1\r\nHost: www.bbc.co.uk\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      assertTrue(status.isEmpty() || status.equals("HTTP/1.1 200"), status);
      return !status.isEmpty();
    } catch (SocketException e) {
      return false; // reset: closed before our request arrived
    }
  }

  @Test
  void aClientPastItsConnectionLimitIsClosedAndOthersAreStillServed() throws Exception {
    String greedy = VlanClient.freshPupil();
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 25; i++) {
        held.add(open(greedy, gate.proxy()));
      }
      int served = 0;
      for (Socket s : held) {
        served += served(s) ? 1 : 0;
      }
      assertEquals(20, served, "20 of 25 connections from one address are served, the rest closed");
      try (Socket tls = open(greedy, gate.interceptTls())) {
        assertTrue(closedAtOnce(tls), "the limit counts every proxy listener");
      }
      try (VlanClient other = gate.client(VlanClient.STAFF)) {
        assertEquals(200, other.get("http://www.bbc.co.uk:" + web.port() + "/other").status(), "another address is served");
      }
      String metrics = metrics();
      assertTrue(metric(metrics, "schoolgate_limit_refusals_total{reason=\"connections-per-client\"}") >= 6, metrics);
      assertTrue(metric(metrics, "schoolgate_listener_connections{listener=\"proxy\"}") >= 20, metrics);
      assertTrue(metric(metrics, "schoolgate_request_duration_seconds_count") >= 21, metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes{area=\"nonheap\""), "the JVM's binders are there");
      assertTrue(metrics.contains("jvm_gc_") && metrics.contains("jvm_threads_live_threads"), metrics);
      for (String series : List.of("schoolgate_client_hellos_total{outcome=\"timeout\"}",
          "schoolgate_upstream_failures_total{kind=\"refused\"}", "schoolgate_buffer_budget_bytes",
          "schoolgate_limit_refusals_total{reason=\"buffer-budget\"}")) {
        assertTrue(metric(metrics, series) >= 0, series + " in " + metrics);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Await.until("the address is served again once its connections close", () -> {
      try (VlanClient again = gate.client(greedy)) {
        return again.get("http://www.bbc.co.uk:" + web.port() + "/again").status() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void aRequestHeadDrippedByteByByteIsCutOffAtTheDeadline() throws Exception {
    try (Socket s = open(VlanClient.freshPupil(), gate.proxy())) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET http://www.bbc.co.uk/ HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
      // slowhttptest -H: a header line every 100 ms, each of which would reset an idle timer;
      // the client reads between lines, so it stops writing as soon as the proxy answers.
      s.setSoTimeout(100);
      int first = -1;
      for (int i = 0; i < 300 && first < 0; i++) {
        out.write(("X-" + i + ": a\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
          first = in.read();
        } catch (SocketTimeoutException stillWaiting) {
          // the proxy is still reading the head
        }
      }
      s.setSoTimeout(10_000);
      String answer = (char) first + new String(in.readNBytes(11), StandardCharsets.ISO_8859_1);
      assertEquals("HTTP/1.1 408", answer, "the client is told, then closed");
      // the rest of the 408, then the close: a FIN, or a reset if a header line was still on its way in
      assertTrue(readsToTheClose(s), "the proxy closed the connection");
      assertTrue(metric(metrics(), "schoolgate_limit_refusals_total{reason=\"request-head-timeout\"}") >= 1);
    }
  }

  /**
   * The process limit lowered to 400 descriptors: connections from many addresses fill what the
   * proxy may use, the admin listener still answers, and nothing logs "Too many open files".
   */
  @Test
  void theAdminListenerStillAnswersWhenConnectionsFillTheProxysShare(@TempDir Path own) throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      Path config = ProxyHarness.writeConfig(own, web.port(), 443, dns.address().getPort(), y -> y);
      try (GateProcess limited = GateProcess.start(config, 400)) {
        List<Socket> flood = new ArrayList<>();
        int refused = 0;
        try {
          for (int i = 0; i < 300; i++) {
            Socket s = open("127.0.10." + (20 + i % 30), limited.address("proxy"));
            flood.add(s);
          }
          for (Socket s : flood) {
            s.setSoTimeout(200);
            if (closedAtOnce(s)) {
              refused++;
            }
          }
          assertTrue(refused > 0, "past its share of descriptors the proxy closes new connections");
          AdminClient anyone = new AdminClient(VlanClient.STAFF, limited.address("admin"), null, null);
          assertEquals(200, anyone.get("/healthz").status(), "the admin listener answers");
        } finally {
          for (Socket s : flood) {
            s.close();
          }
        }
        Await.until("the proxy serves again once the flood has gone", () -> {
          try (VlanClient c = new VlanClient(VlanClient.STAFF, limited.address("proxy"))) {
            return c.get("http://www.bbc.co.uk:" + web.port() + "/after").status() == 200;
          } catch (IOException e) {
            return false;
          }
        });
      }
      String stderr = Files.readString(own.resolve("stderr.log"));
      assertFalse(stderr.contains("Too many open files"), stderr);
    }
  }
}
