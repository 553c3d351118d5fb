package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HttpsClient;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Issue 21, item 5: the HTTPS block page has an overall budget across all managed addresses (100
 * handshakes a second, 32 under way at once), past which a blocked connection is closed without a
 * page as before, while another pupil's plain HTTP is relayed throughout. Managed devices are
 * 127.0.40.x; the budget runs on the harness's clock, which stands still, so the counts are exact.
 */
class BlockPageBudgetTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;
  static HttpsClient browser;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, y -> y + "tls_block_page:\n  networks: [127.0.40.0/24]\n",
        Duration.ofSeconds(20), config -> SchoolCa.create("schoolgate test school CA", Clock.systemUTC())
            .write(dir.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.key")));
    try (InputStream in = Files.newInputStream(dir.resolve("ca/schoolgate-ca.pem"))) {
      browser = new HttpsClient((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  private static String metrics() throws IOException {
    return new AdminClient(VlanClient.STAFF, gate.admin(), null, null).get("/metrics").body();
  }

  private static double metric(String series) throws IOException {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  private static double pages(String outcome) throws IOException {
    return metric("schoolgate_tls_block_pages_total{outcome=\"" + outcome + "\"}");
  }

  /** A blocked CONNECT from a managed device: its status line (200: the page's handshake may begin; 403: closed). */
  private static String connect(Socket s) throws IOException {
    s.getOutputStream().write("CONNECT www.facebook.com:443 HTTP/1.1\r\nHost: www.facebook.com:443\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    StringBuilder b = new StringBuilder();
    InputStream in = s.getInputStream();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      b.append((char) c);
    }
    return b.toString().trim();
  }

  /** Another pupil's plain HTTP, relayed while the flood goes on. */
  private static void anotherPupilIsServed(int i) throws IOException {
    try (VlanClient c = gate.client("127.0.10.9")) {
      assertEquals(200, c.get("http://www.bbc.co.uk:" + web.port() + "/news/" + i).status(), "request " + i);
    }
  }

  @Test
  void aFloodFromManyManagedAddressesIsHeldToTheOverallBudgetWhileOthersAreServed() throws Exception {
    // 40 devices each open a blocked CONNECT and never start TLS: 32 are let in and hold their place.
    List<Socket> held = new ArrayList<>();
    int admitted = 0;
    int refused = 0;
    try {
      for (int i = 1; i <= 40; i++) {
        Socket s = HttpsClient.connect("127.0.40." + i, gate.proxy());
        held.add(s);
        String status = connect(s);
        if (status.startsWith("HTTP/1.1 200")) {
          admitted++;
        } else {
          assertTrue(status.startsWith("HTTP/1.1 403"), status);
          refused++;
        }
        anotherPupilIsServed(i);
      }
      assertEquals(32, admitted, "places under way at once");
      assertEquals(8, refused);
      assertEquals(32, metric("schoolgate_tls_block_page_handshakes_under_way"));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Await.until("places given back", () -> {
      try {
        return metric("schoolgate_tls_block_page_handshakes_under_way") == 0;
      } catch (IOException e) {
        return false;
      }
    });
    // Then complete handshakes, ten from each of ten more devices (each within its own 20 a second): the
    // overall bucket of 100 has 68 left this second; the rest are closed without a page.
    int served = 0;
    for (int d = 1; d <= 10; d++) {
      for (int i = 0; i < 10; i++) {
        try (SSLSocket tls = browser.handshake(HttpsClient.connect("127.0.40." + (100 + d), gate.interceptTls()),
            "www.facebook.com")) {
          assertEquals(403, HttpsClient.get(tls, "www.facebook.com").status());
          served++;
        } catch (IOException closedWithoutAPage) {
          // over the budget
        }
      }
      anotherPupilIsServed(100 + d);
    }
    assertEquals(68, served);
    assertEquals(100, pages("admitted"));
    assertEquals(8 + 32, pages("over-budget"));
    assertEquals(0, pages("over-rate"), "no device went past its own 20 a second");
    gate.clock.advance(Duration.ofSeconds(1));
    try (SSLSocket tls = browser.handshake(HttpsClient.connect("127.0.40.200", gate.interceptTls()), "www.facebook.com")) {
      assertEquals(403, HttpsClient.get(tls, "www.facebook.com").status(), "the next second has its budget again");
    }
  }
}
