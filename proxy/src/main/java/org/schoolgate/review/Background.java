package org.schoolgate.review;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The background traffic of browsers and operating systems (update, telemetry, certificate and
 * captive-portal hosts; the shipped {@code background-hosts.txt}): what a device fetches by itself,
 * kept out of "most blocked" so the lists show what people visited.
 */
public final class Background {
  public static final String RESOURCE = "/background-hosts.txt";
  private static final Set<String> HOSTS = read();

  private Background() {}

  /** Whether {@code host} or one of its parent domains is on the shipped list. */
  public static boolean is(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    while (true) {
      if (HOSTS.contains(h)) {
        return true;
      }
      int dot = h.indexOf('.');
      if (dot < 0) {
        return false;
      }
      h = h.substring(dot + 1);
    }
  }

  private static Set<String> read() {
    Set<String> hosts = new HashSet<>();
    try (InputStream in = Background.class.getResourceAsStream(RESOURCE);
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          hosts.add(t.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(hosts);
  }
}
