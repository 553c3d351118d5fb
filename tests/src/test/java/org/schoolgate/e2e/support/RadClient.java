package org.schoolgate.e2e.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code radclient} (package freeradius-utils), the standard RADIUS test client, sending
 * accounting to the gateway as a Wi-Fi controller would. Skips the test with a sentence where it is
 * not installed, except under CI ({@code CI=true}), where {@code .ci/run} installs it and a missing
 * one fails.
 */
public final class RadClient {
  public static final Path RADCLIENT = Path.of("/usr/bin/radclient");

  /** What radclient did: its exit code (0 only when a verified Accounting-Response came back) and its output. */
  public record Result(int exit, String output) {
    public boolean answered() {
      return exit == 0 && output.contains("Received Accounting-Response");
    }
  }

  private RadClient() {}

  public static void require() {
    boolean present = Files.isExecutable(RADCLIENT);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI needs " + RADCLIENT + " (.ci/run installs freeradius-utils)");
    }
    Assumptions.assumeTrue(present, "radclient is not installed (apt-get install freeradius-utils): "
        + "the RADIUS accounting tests were skipped");
  }

  /**
   * Sends one Accounting-Request of {@code attributes} (radclient's text form, one per line) to
   * {@code server} with {@code secret}; {@code source} is the address it sends from
   * ({@code Packet-Src-IP-Address}). Up to three tries, two seconds apart, as equipment retransmits
   * (a loaded test machine may take longer than a second to store the first one).
   */
  public static Result acct(InetSocketAddress server, String secret, String source, String... attributes)
      throws IOException, InterruptedException {
    return send(3, server, secret, source, attributes);
  }

  /** As {@link #acct}, one try with a second's wait: for a packet the gateway must drop. */
  public static Result acctOnce(InetSocketAddress server, String secret, String source, String... attributes)
      throws IOException, InterruptedException {
    return send(1, server, secret, source, attributes);
  }

  private static Result send(int tries, InetSocketAddress server, String secret, String source, String... attributes)
      throws IOException, InterruptedException {
    require();
    StringBuilder input = new StringBuilder();
    for (String a : attributes) {
      input.append(a).append('\n');
    }
    input.append("Packet-Src-IP-Address = ").append(source).append('\n');
    Process p = new ProcessBuilder(List.of(RADCLIENT.toString(), "-x", "-r", Integer.toString(tries),
        "-t", tries == 1 ? "1" : "2",
        "127.0.0.1:" + server.getPort(), "acct", secret)).redirectErrorStream(true).start();
    p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("radclient did not finish: " + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** A Start, Interim-Update or Stop for {@code address} and {@code user} in session {@code session}. */
  public static String[] session(String status, String user, String address, String session) {
    return new String[] {"Acct-Status-Type = " + status, "User-Name = \"" + user + "\"",
        "Framed-IP-Address = " + address, "Acct-Session-Id = \"" + session + "\"", "NAS-IP-Address = 127.0.0.1"};
  }
}
