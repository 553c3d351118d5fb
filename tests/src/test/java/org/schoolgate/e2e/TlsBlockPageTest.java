package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HttpsClient;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RecordingTlsOrigin;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.proxy.ProxyStats;

/**
 * The HTTPS block page for managed devices (SPEC section 9) on real sockets: a browser-like JDK
 * client on a managed pupil address (127.0.10.0/24 is listed in {@code tls_block_page.networks})
 * that trusts the school's CA reads the block page for a blocked site, by the intercept listener
 * and by CONNECT; an allowed site still gets the origin's certificate and the origin gets the
 * client's own ClientHello; devices outside the list, hellos without a name and the 21st
 * handshake in a second are refused as before. Each test uses its own device address, so that
 * handshake budgets and supervision never add up across tests.
 */
class TlsBlockPageTest {
  @TempDir
  static Path dir;
  static TestTls originCert;
  static RecordingTlsOrigin origin;
  static ProxyHarness gate;
  static X509Certificate schoolCa;
  static HttpsClient browser;

  @BeforeAll
  static void start() throws Exception {
    originCert = new TestTls(ProxyHarness.NAMES);
    origin = new RecordingTlsOrigin(originCert);
    gate = new ProxyHarness(dir, 80, origin.port(),
        y -> y + "tls_block_page:\n  networks: [127.0.10.0/24, 127.0.20.0/24]\n", Duration.ofSeconds(10),
        config -> SchoolCa.create("schoolgate test school CA", Clock.systemUTC())
            .write(dir.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.key")));
    try (InputStream in = Files.newInputStream(dir.resolve("ca/schoolgate-ca.pem"))) {
      schoolCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    browser = new HttpsClient(schoolCa, originCert.certificate);
  }

  @AfterAll
  static void stop() throws IOException {
    gate.close();
    origin.close();
  }

  private static SSLSocket intercepted(String device, String sni) throws IOException {
    return browser.handshake(HttpsClient.connect(device, gate.interceptTls()), sni);
  }

  private static AccessRecord accessLine(String device, String host) {
    return gate.events.awaitAccess(device + " " + host,
        a -> a.client().equals(device) && host.equals(a.host()) && "block".equals(a.decision()));
  }

  @Test
  void aBlockedSiteByTheInterceptListenerShowsTheBlockPageOverTlsWithALeafForItsName() throws Exception {
    String pupil = "127.0.10.31";
    try (SSLSocket tls = intercepted(pupil, "www.facebook.com")) {
      X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
      assertEquals(List.of(List.of(2, "www.facebook.com")), List.copyOf(leaf.getSubjectAlternativeNames()));
      assertEquals(schoolCa.getSubjectX500Principal(), leaf.getIssuerX500Principal());
      leaf.verify(schoolCa.getPublicKey());
      Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
      assertTrue(lifetime.compareTo(Duration.ofDays(7)) <= 0, lifetime::toString);
      assertEquals("http/1.1", tls.getApplicationProtocol(), "h2 was offered too");
      HttpResult page = HttpsClient.get(tls, "www.facebook.com");
      assertEquals(403, page.status());
      assertEquals("social", page.header("X-Schoolgate-Category"));
      AccessRecord line = accessLine(pupil, "www.facebook.com");
      assertEquals("TLS", line.method());
      assertEquals("intercept_tls", line.listener());
      assertTrue(page.body().contains("www.facebook.com") && page.body().contains(line.ref()), page.body());
    }
  }

  @Test
  void aTeachersHttpsBlockPageInALessonLinksToAReviewOfTheHttpsAddress() throws Exception {
    String teacher = "127.0.20.31"; // staff: social media is blocked in lessons, and staff reach the console
    try (SSLSocket tls = intercepted(teacher, "www.facebook.com")) {
      HttpResult page = HttpsClient.get(tls, "www.facebook.com");
      assertEquals(403, page.status());
      String ref = accessLine(teacher, "www.facebook.com").ref();
      assertTrue(page.body().contains("ask for a review</a>") && page.body().contains(
          "report?url=https%3A%2F%2Fwww.facebook.com%2F&amp;category=social&amp;ref=" + ref), page.body());
    }
  }

  @Test
  void aBlockedConnectIsAnswered200AndTheTunnelsTlsShowsTheBlockPage() throws Exception {
    String pupil = "127.0.10.32";
    try (Socket raw = HttpsClient.connect(pupil, gate.proxy())) {
      raw.getOutputStream().write("CONNECT www.facebook.com:443 HTTP/1.1\r\nHost: www.facebook.com:443\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(head(raw.getInputStream()).startsWith("HTTP/1.1 200"));
      try (SSLSocket tls = browser.handshake(raw, "www.facebook.com")) {
        HttpResult page = HttpsClient.get(tls, "www.facebook.com");
        assertEquals(403, page.status());
        assertEquals("social", page.header("X-Schoolgate-Category"));
        AccessRecord line = accessLine(pupil, "www.facebook.com");
        assertEquals("CONNECT", line.method());
        assertEquals(403, line.status());
        assertTrue(page.body().contains(line.ref()), page.body());
      }
    }
  }

  /** The response head a CONNECT gets, read byte by byte so that nothing of the TLS after it is taken. */
  private static String head(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    while (b.indexOf("\r\n\r\n") < 0) {
      int c = in.read();
      if (c == -1) {
        throw new IOException("closed after " + b);
      }
      b.append((char) c);
    }
    return b.toString();
  }

  @Test
  void anAllowedSiteGetsTheOriginsCertificateAndTheOriginTheClientsOwnHello() throws Exception {
    String pupil = "127.0.10.33";
    HttpsClient.RecordingSocket raw = HttpsClient.connect(pupil, gate.interceptTls());
    try (SSLSocket tls = browser.handshake(raw, "www.bbc.co.uk")) {
      assertEquals(originCert.certificate, tls.getSession().getPeerCertificates()[0], "the origin's own certificate");
      assertEquals("origin", HttpsClient.get(tls, "www.bbc.co.uk").body());
    }
    byte[] atOrigin = origin.hellos().get(origin.hellos().size() - 1);
    byte[] sent = Arrays.copyOf(raw.sent(), atOrigin.length);
    assertArrayEquals(sent, atOrigin, "the ClientHello reached the origin as the client sent it");
    assertEquals(0, gate.events.access.stream().filter(a -> a.client().equals(pupil) && "block".equals(a.decision())).count());
  }

  @Test
  void aDeviceOutsideTheListedNetworksIsRefusedAsBefore() throws Exception {
    String unmanaged = VlanClient.freshPupil(); // a pupil (the default group) in no listed network
    long served = gate.server.proxy().stats().blockPages(ProxyStats.BlockPage.SERVED);
    assertThrows(IOException.class, () -> intercepted(unmanaged, "www.facebook.com").close());
    try (VlanClient c = gate.client(unmanaged)) {
      assertEquals(403, c.send("CONNECT www.facebook.com:443 HTTP/1.1\r\nHost: www.facebook.com:443\r\n\r\n").status());
    }
    accessLine(unmanaged, "www.facebook.com");
    assertEquals(served, gate.server.proxy().stats().blockPages(ProxyStats.BlockPage.SERVED));
  }

  @Test
  void aHelloWithoutAServerNameIsClosedAsBefore() throws Exception {
    String pupil = "127.0.10.34";
    assertThrows(IOException.class, () -> intercepted(pupil, null).close());
    gate.events.awaitEvent("no-sni from " + pupil, e -> e.client().equals(pupil) && "no-sni".equals(e.kind()));
  }

  @Test
  void theTwentyFirstHandshakeInOneSecondIsClosedAndTheNextSecondHasTwentyMore() throws Exception {
    String pupil = "127.0.10.35";
    for (int i = 1; i <= 20; i++) {
      try (SSLSocket tls = intercepted(pupil, "www.facebook.com")) {
        assertEquals("TLSv1.3", tls.getSession().getProtocol(), "handshake " + i);
      }
    }
    assertThrows(IOException.class, () -> intercepted(pupil, "www.facebook.com").close(), "the 21st in the same tick");
    gate.clock.advance(Duration.ofSeconds(1));
    try (SSLSocket tls = intercepted(pupil, "www.facebook.com")) {
      assertEquals(403, HttpsClient.get(tls, "www.facebook.com").status());
    }
  }

  @Test
  void aCircumventionAttemptIsOnDiskBeforeItsBlockPageHandshakeCompletes() throws Exception {
    String pupil = "127.0.10.36";
    try (SSLSocket tls = intercepted(pupil, "nordvpn.com")) {
      List<String> events = Files.readAllLines(dir.resolve("logs/events.jsonl"));
      assertTrue(events.stream().anyMatch(l -> l.contains("\"" + pupil + "\"") && l.contains("nordvpn.com")), events::toString);
      HttpResult page = HttpsClient.get(tls, "nordvpn.com");
      assertEquals("circumvention", page.header("X-Schoolgate-Category"));
    }
  }

  @Test
  void aDeviceUnderLockdownSeesItsLockdownPageTheSameWay() throws Exception {
    String pupil = "127.0.10.37";
    for (int i = 0; i < 5; i++) {
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.get("http://nordvpn.com/").status());
      }
      gate.clock.advance(Duration.ofMinutes(1)); // a device, host and kind make one attempt a minute
    }
    Await.until("lockdown in force", () -> {
      try (SSLSocket tls = intercepted(pupil, "www.bbc.co.uk")) {
        return tls.getSession().getPeerCertificates()[0] instanceof X509Certificate c
            && c.getIssuerX500Principal().equals(schoolCa.getSubjectX500Principal());
      } catch (IOException e) {
        return false;
      }
    });
    gate.clock.advance(Duration.ofSeconds(1)); // the probes above spent this second's handshakes
    try (SSLSocket tls = intercepted(pupil, "www.bbc.co.uk")) {
      HttpResult page = HttpsClient.get(tls, "www.bbc.co.uk");
      assertEquals(403, page.status());
      assertTrue(page.body().contains("This device can only visit learning sites for now"), page.body());
    }
  }
}
