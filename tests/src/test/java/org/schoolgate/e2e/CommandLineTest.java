package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/** The runnable jar as a network manager uses it: check, refuse a bad configuration, run, stop on SIGTERM. */
class CommandLineTest {
  static final Path JAR = Path.of(System.getProperty("schoolgate.jar", "../proxy/target/schoolgate.jar"));

  record Run(int exit, String out, String err) {}

  static Run run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(ProxyHarness.repoRoot().toFile()).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command finished");
    return new Run(p.exitValue(), out.get(), err.get());
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void checkPassesTheShippedConfiguration() throws Exception {
    Run r = run("check");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("valid"), r.out());
  }

  @Test
  void checkNamesEachProblemByItsPathAndExits2(@TempDir Path dir) throws Exception {
    Path config = ProxyHarness.writeConfig(dir, 80, 443, 53, y -> y
        .replace("pupils: [127.0.10.0/24]", "pupils: [127.0.10.0/24, 10.10.0.0/33]")
        .replace("connect_timeout: 2s", "connect_timeout: 2 seconds")
        .replace("log_retention_days: 90", "log_retention_days: 90\nlog_retension: 3"));
    Files.writeString(dir.resolve("blocklists/chat.txt"), "\nthis is not a domain\n", StandardOpenOption.APPEND);
    Run r = run("check", "--config", config.toString());
    assertEquals(2, r.exit());
    assertTrue(r.out().contains("networks.pupils[1]: \"10.10.0.0/33\" is not a CIDR block"), r.out());
    assertTrue(r.out().contains("upstream.connect_timeout: \"2 seconds\" is not a duration"), r.out());
    assertTrue(r.out().contains("log_retension: unknown key"), r.out());
    // Config problems come first; the lists are checked once the configuration itself is valid.
    Run lists = run("check", "--config", ProxyHarness.writeConfig(dir.resolve("b"), 80, 443, 53, y -> y).toString());
    assertEquals(0, lists.exit(), lists.out());
  }

  @Test
  void checkReportsGarbageListLinesWithFileAndLine(@TempDir Path dir) throws Exception {
    Path config = ProxyHarness.writeConfig(dir, 80, 443, 53, y -> y);
    long lines = Files.readAllLines(dir.resolve("blocklists/chat.txt")).size();
    Files.writeString(dir.resolve("blocklists/chat.txt"), "this is not a domain\n", StandardOpenOption.APPEND);
    Run r = run("check", "--config", config.toString());
    assertEquals(2, r.exit());
    assertTrue(r.out().contains("blocklists/chat.txt:" + (lines + 1) + ": \"this is not a domain\" is not a domain"), r.out());
  }

  @Test
  void theServerRefusesToStartOnAnInvalidConfiguration(@TempDir Path dir) throws Exception {
    Path config = ProxyHarness.writeConfig(dir, 80, 443, 53, y -> y.replace("default_group: pupils", "default_group: visitors"));
    Run r = run("--config", config.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("default_group: \"visitors\" is not a group"), r.err());
    assertTrue(r.out().isEmpty(), "no ready line: " + r.out());
  }

  @Test
  void theServerStartsPrintsItsListenersAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    try (UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns()) {
      Path config = ProxyHarness.writeConfig(dir, web.port(), 443, dns.address().getPort(), y -> y);
      Process p = new ProcessBuilder(javaBin(), "-jar", JAR.toString(), "--config", config.toString())
          .redirectError(dir.resolve("stderr.txt").toFile()).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("schoolgate ready:"), "ready line: " + ready
            + " / " + Files.readString(dir.resolve("stderr.txt")));
        for (String listener : new String[] {"proxy=", "intercept_http=", "intercept_tls="}) {
          assertTrue(ready.contains(listener), ready);
        }
        Matcher m = Pattern.compile("proxy=127\\.0\\.0\\.1:(\\d+)").matcher(ready);
        assertTrue(m.find(), ready);
        InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
        try (VlanClient c = new VlanClient(VlanClient.PUPIL, proxy)) {
          assertEquals(403, c.get("http://www.facebook.com:" + web.port() + "/").status());
        }
        // An in-flight request is allowed to finish after SIGTERM.
        try (VlanClient slow = new VlanClient(VlanClient.STAFF, proxy)) {
          slow.write("GET http://example.org:" + web.port() + "/slow?ms=1500 HTTP/1.1\r\nHost: example.org\r\n\r\n");
          web.take();
          p.destroy(); // SIGTERM
          HttpResult r = slow.read();
          assertEquals(200, r.status());
          assertEquals("slow 1500", r.body());
        }
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "exited after SIGTERM");
        String log = Files.readString(dir.resolve("stderr.txt"));
        assertTrue(log.contains("direct buffers unzeroed"), "the jar's manifest opens java.nio to Netty: " + log);
        assertEquals(143, p.exitValue(), "the JVM's exit status for SIGTERM");
        List<String> access = Files.readAllLines(dir.resolve("logs/access.jsonl"));
        assertTrue(access.stream().anyMatch(l -> l.contains("/slow")), "the finished request was logged before exit");
      } finally {
        p.destroyForcibly();
      }
    }
  }
}
