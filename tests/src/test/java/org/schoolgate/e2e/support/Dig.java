package org.schoolgate.e2e.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code dig} (dnsutils), asking a server from a chosen loopback source address. */
public final class Dig {
  private Dig() {}

  public static boolean installed() {
    return new java.io.File("/usr/bin/dig").canExecute();
  }

  /**
   * Runs {@code dig @server -p port -b source name type} with {@code options} (e.g. {@code +tcp},
   * {@code +dnssec}) and returns what it printed.
   */
  public static String ask(InetSocketAddress server, String source, String name, String type, String... options)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dig", "@" + server.getAddress().getHostAddress(), "-p",
        Integer.toString(server.getPort()), "-b", source, name, type, "+tries=1", "+time=5"));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("dig did not finish: " + cmd);
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The {@code status:} of dig's header line (NOERROR, NXDOMAIN, ...), or null when there was no answer. */
  public static String status(String out) {
    int i = out.indexOf("status: ");
    return i < 0 ? null : out.substring(i + 8, out.indexOf(',', i));
  }

  /** The answer section's lines, each run of blanks made one space. */
  public static List<String> answers(String out) {
    List<String> lines = new ArrayList<>();
    boolean in = false;
    for (String line : out.split("\n")) {
      if (line.startsWith(";; ANSWER SECTION:")) {
        in = true;
      } else if (in && line.isBlank()) {
        break;
      } else if (in) {
        lines.add(line.trim().replaceAll("\\s+", " "));
      }
    }
    return lines;
  }
}
