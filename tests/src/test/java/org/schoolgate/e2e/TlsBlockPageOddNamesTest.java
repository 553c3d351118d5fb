package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.e2e.support.ProxyHarness;

/**
 * Issue 21 item 11: a managed device that asks for a name with a trailing dot
 * ({@code www.facebook.com.}, an absolute DNS name) or an underscore ({@code bad_name.facebook.com})
 * gets the HTTPS block page, not a TLS alert, whichever TLS serves it (the JDK's refuses both in
 * its own reading of the server name; the leaf is chosen from ours). The client is Debian's
 * {@code openssl s_client}, which sends either name as given, trusts only the school's CA and
 * checks the leaf against the name ({@code -verify_hostname}, the trailing dot dropped as
 * browsers do). The same client shows the X25519 key share and a resumed session. The device is 127.0.0.1 (s_client cannot choose its source address), made a
 * managed pupil address by this configuration.
 */
class TlsBlockPageOddNamesTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y
        .replace("  pupils: [127.0.10.0/24]", "  pupils: [127.0.10.0/24, 127.0.0.1/32]")
        .replace("allow_from: [127.0.0.1/32, 127.0.20.0/24, 127.0.30.0/24]", "allow_from: [127.0.20.0/24, 127.0.30.0/24]")
        + "tls_block_page:\n  networks: [127.0.0.1/32]\n", Duration.ofSeconds(10),
        config -> SchoolCa.create("schoolgate odd names CA", Clock.systemUTC())
            .write(dir.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.key")));
  }

  @AfterAll
  static void stop() throws IOException {
    if (gate != null) {
      gate.close();
    }
  }

  /** What s_client printed (its errors too) after sending one GET for {@code host} with SNI {@code sni}, and its exit code. */
  private static String[] sClient(String sni, String host, String... more) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
        "127.0.0.1:" + gate.interceptTls().getPort(), "-servername", sni, "-CAfile", dir.resolve("ca/schoolgate-ca.pem").toString(),
        "-verify_return_error", "-verify_hostname", host, "-ign_eof"));
    command.addAll(List.of(more));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // until the page's close
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("s_client did not end: " + out);
    }
    return new String[] {out, Integer.toString(p.exitValue())};
  }

  private static void assertBlockPage(String sni, String host) throws Exception {
    String[] r = sClient(sni, host);
    String out = r[0];
    assertTrue(out.contains("HTTP/1.1 403") && out.contains("X-Schoolgate-Category: social"),
        "SNI " + sni + ": no block page, s_client said:\n" + out);
    assertTrue(out.contains("Verify return code: 0 (ok)"), out); // the school CA, and the name (-verify_hostname)
    assertTrue(out.contains("Server Temp Key: X25519"), out); // the key share
    assertEquals("0", r[1], out);
  }

  @Test
  void aTrailingDotNameGetsTheBlockPageWithALeafForTheNameWithoutIt() throws Exception {
    assertBlockPage("www.facebook.com.", "www.facebook.com");
  }

  @Test
  void anUnderscoreNameGetsTheBlockPageWithALeafForThatName() throws Exception {
    assertBlockPage("bad_name.facebook.com", "bad_name.facebook.com");
  }

  @Test
  void anOrdinaryNameStillDoes() throws Exception {
    assertBlockPage("www.facebook.com", "www.facebook.com");
  }

  /** Session resumption (issue 27): a device back for the same blocked name resumes its TLS 1.3 session, no new signature. */
  @Test
  void aDeviceBackForTheSameNameResumesItsSession() throws Exception {
    Path session = dir.resolve("facebook.session");
    String[] first = sClient("m.facebook.com", "m.facebook.com", "-sess_out", session.toString());
    assertTrue(first[0].contains("HTTP/1.1 403") && first[0].contains("New, TLSv1.3"), first[0]);
    String[] again = sClient("m.facebook.com", "m.facebook.com", "-sess_in", session.toString());
    assertTrue(again[0].contains("HTTP/1.1 403") && again[0].contains("Reused, TLSv1.3"), again[0]);
  }
}
