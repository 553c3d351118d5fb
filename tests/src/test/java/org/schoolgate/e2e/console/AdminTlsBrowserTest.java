package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.HttpsClient;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * Issue 21, item 10, in a real Chromium that trusts the school CA (its own NSS database, as in
 * {@link HttpsBlockPageBrowserTest}): with {@code admin.tls: {from_ca: true}} the console is
 * served over HTTPS with a leaf the CA signed for the listen address; the head signs in, and her
 * session cookie is {@code Secure}; responses carry HSTS; a request naming another host
 * ({@code Host: evil.example}, a DNS-rebinding page) is refused.
 */
class AdminTlsBrowserTest {
  @TempDir
  static Path dir;
  @TempDir
  static Path home;
  static ProxyHarness gate;
  static Browser browser;
  static X509Certificate ca;
  static String console;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y + "  tls:\n    from_ca: true\n", Duration.ofSeconds(10), config -> {
      SchoolCa.create("Mellers Primary filter CA", Clock.systemUTC())
          .write(dir.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.key"));
      Users.add(config, "head", "head");
    });
    try (InputStream in = Files.newInputStream(dir.resolve("ca/schoolgate-ca.pem"))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    console = "https://127.0.0.1:" + gate.admin().getPort();
    trustInNss(dir.resolve("ca/schoolgate-ca.pem"));
    browser = Browser.start(null, List.of(), Map.of("HOME", home.toString()));
  }

  private static void trustInNss(Path caPem) throws Exception {
    boolean certutil = Files.isExecutable(Path.of("/usr/bin/certutil"));
    if (!certutil && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI needs certutil (.ci/run installs libnss3-tools)");
    }
    Assumptions.assumeTrue(certutil, "certutil is not installed (apt-get install libnss3-tools): the admin TLS "
        + "browser test was skipped");
    Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
    run("certutil", "-d", "sql:" + nss, "-N", "--empty-password");
    run("certutil", "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "schoolgate test CA", "-i", caPem.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    gate.close();
  }

  @Test
  void theHeadSignsInOverHttpsAndHerCookieIsSecure() {
    browser.open(console + "/");
    browser.find("#username").sendKeys("head");
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
    browser.waitForPath("/");
    assertTrue(browser.find(".who").getText().startsWith("head"), browser.driver.getPageSource());
    assertTrue(browser.driver.getCurrentUrl().startsWith("https://"), browser.driver.getCurrentUrl());
    Cookie session = browser.driver.manage().getCookieNamed("schoolgate_session");
    assertNotNull(session, "signed in");
    assertTrue(session.isSecure(), "the session cookie is Secure over TLS");
    assertTrue(session.isHttpOnly());
    browser.screenshot("console-over-https");
  }

  @Test
  void responsesCarryHstsAndAnotherHostIsRefused() throws Exception {
    HttpsClient client = new HttpsClient(ca);
    String own = "127.0.0.1:" + gate.admin().getPort();
    try (SSLSocket tls = client.handshake(HttpsClient.connect("127.0.0.1", gate.admin()), null)) {
      HttpResult r = HttpsClient.get(tls, own);
      assertEquals("max-age=31536000", r.header("Strict-Transport-Security"), r.body());
    }
    try (SSLSocket tls = client.handshake(HttpsClient.connect("127.0.0.1", gate.admin()), null)) {
      HttpResult r = HttpsClient.get(tls, "evil.example");
      assertEquals(421, r.status(), r.body());
      assertTrue(r.body().contains("does not answer to the name \"evil.example\""), r.body());
    }
  }
}
