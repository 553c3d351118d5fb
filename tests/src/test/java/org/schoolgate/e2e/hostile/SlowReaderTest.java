package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/**
 * The slow-reader attack (400 connections against 128 MiB of direct memory), scaled to
 * a 24 MiB cap: 75 connections that ask for pipelined 4 MB downloads and never read. (24 rather
 * than 16 MiB: Netty's pooled allocator keeps whole chunks, a large share of 16 MiB.) Ordinary downloads made
 * meanwhile must arrive whole, and the proxy must not run out of direct memory; the attackers'
 * connections are the ones closed, and their access lines say the response was cut short.
 */
class SlowReaderTest {
  private static final int BIG = 4 * 1024 * 1024;
  private static final int ORDINARY = 1024 * 1024;

  @Test
  void slowReadersCannotTakeTheMemoryOrdinaryDownloadsNeed(@TempDir Path dir) throws Exception {
    try (UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns()) {
      Path config = ProxyHarness.writeConfig(dir, web.port(), 443, dns.address().getPort(), y -> y);
      try (GateProcess gate = GateProcess.start(config, "-XX:+UseSerialGC", "-Xmx256m", "-XX:MaxDirectMemorySize=24m",
          "-XX:+ExitOnOutOfMemoryError")) {
        InetSocketAddress proxy = gate.address("proxy");
        String url = "http://www.bbc.co.uk:" + web.port() + "/big?bytes=";
        List<Socket> attackers = new ArrayList<>();
        try {
          for (int i = 0; i < 75; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096); // a reader that takes almost nothing
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.10." + (100 + i % 2)), 0));
            s.connect(proxy, 5_000);
            OutputStream out = s.getOutputStream();
            String one = "GET " + url + BIG + " HTTP/1.1\r\nHost: www.bbc.co.uk:" + web.port() + "\r\n\r\n";
            out.write(one.repeat(4).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            attackers.add(s);
          }
          ExecutorService pool = Executors.newFixedThreadPool(4);
          try {
            List<Future<HttpResult>> downloads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
              String source = "127.0.20." + (10 + i);
              downloads.add(pool.submit(() -> {
                try (VlanClient c = new VlanClient(source, proxy)) {
                  return c.get(url + ORDINARY);
                }
              }));
            }
            for (Future<HttpResult> f : downloads) {
              HttpResult r = f.get(60, TimeUnit.SECONDS);
              assertEquals(200, r.status());
              assertEquals(ORDINARY, r.body().length(),
                  () -> "an ordinary download arrived whole; the proxy said: " + tail(dir.resolve("stderr.log"))
                      + "\nits access lines for staff: " + staffLines(dir));
            }
          } finally {
            pool.shutdownNow();
          }
          assertTrue(gate.isAlive(), "the proxy is still running");
        } finally {
          for (Socket s : attackers) {
            s.close();
          }
        }
        String stderr = Files.readString(dir.resolve("stderr.log"));
        assertFalse(stderr.contains("OutOfDirectMemoryError") || stderr.contains("OutOfMemoryError"), stderr);
        Path access = dir.resolve("logs/access.jsonl");
        // Every attacker's exchange ends, and none is logged as a complete 4 MB response.
        Await.until("the attackers' exchanges are logged", () -> lines(access).stream()
            .filter(l -> l.contains("\"client\":\"127.0.10.10")).count() >= 75);
        // The access line's path has no query (SPEC 7), so an attacker's line is told by its client and "/big".
        List<String> attackerLines = lines(access).stream()
            .filter(l -> l.contains("\"client\":\"127.0.10.10") && l.contains("\"path\":\"/big\"")).toList();
        assertTrue(attackerLines.size() >= 75, "every attacker's exchange has its line: " + attackerLines.size());
        for (String l : attackerLines) {
          assertTrue(l.contains("\"aborted\":"), "a cut-short response says so: " + l);
          assertFalse(l.contains("\"bytes_down\":" + BIG + ","), "a cut-short response is never logged as whole: " + l);
        }
      }
    }
  }

  /** The staff access lines, once the cut-short one is written too (for the failure message). */
  private static List<String> staffLines(Path dir) {
    try {
      Await.until("the cut-short download's access line", java.time.Duration.ofSeconds(3), () ->
          lines(dir.resolve("logs/access.jsonl")).stream().anyMatch(l -> l.contains("127.0.20.") && l.contains("aborted")));
    } catch (AssertionError none) {
      // report what there is
    }
    return lines(dir.resolve("logs/access.jsonl")).stream().filter(l -> l.contains("127.0.20.")).toList();
  }

  private static String tail(Path p) {
    try {
      String s = Files.readString(p);
      return s.substring(Math.max(0, s.length() - 3000));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
