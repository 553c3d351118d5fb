package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ProxyHarness;

/**
 * SPEC section 9 in a real Chromium whose trust store (its own NSS database, as a managed device's
 * is given the school CA by its device management) trusts the school's CA: a pupil who opens
 * {@code https://www.facebook.com/} sees the block page with the category and a reference, not
 * ERR_TUNNEL_CONNECTION_FAILED. The browser connects from 127.0.0.1, which this configuration
 * makes a managed pupil address; the admin listener is kept to the staff network.
 */
class HttpsBlockPageBrowserTest {
  @TempDir
  static Path dir;
  @TempDir
  static Path home;
  static ProxyHarness gate;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y
        .replace("  pupils: [127.0.10.0/24]", "  pupils: [127.0.10.0/24, 127.0.0.1/32]")
        .replace("allow_from: [127.0.0.1/32, 127.0.20.0/24, 127.0.30.0/24]", "allow_from: [127.0.20.0/24, 127.0.30.0/24]")
        + "tls_block_page:\n  networks: [127.0.0.1/32]\n", Duration.ofSeconds(10),
        config -> SchoolCa.create("Mellers Primary filter CA", Clock.systemUTC())
            .write(dir.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.key")));
    trustInNss(dir.resolve("ca/schoolgate-ca.pem"));
    browser = Browser.start("127.0.0.1:" + gate.proxy().getPort(), List.of(), Map.of("HOME", home.toString()));
  }

  /** The CA goes into the browser's own NSS database ($HOME/.pki/nssdb), trusted for websites. */
  private static void trustInNss(Path caPem) throws Exception {
    boolean certutil = Files.isExecutable(Path.of("/usr/bin/certutil"));
    if (!certutil && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI needs certutil (.ci/run installs libnss3-tools)");
    }
    Assumptions.assumeTrue(certutil, "certutil is not installed (apt-get install libnss3-tools): the HTTPS block page "
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
  void aPupilOpeningFacebookOverHttpsSeesTheBlockPageWithItsReasonAndReference() {
    browser.open("https://www.facebook.com/");
    assertEquals("This website is blocked at school", browser.find("h1").getText(), browser.driver.getPageSource());
    String page = browser.find("main").getText();
    assertTrue(page.contains("social networking"), page);
    assertTrue(page.contains("tell your teacher"), page);
    assertTrue(browser.find(".ref").getText().matches("[2-9A-Z]{4}-[2-9A-Z]{4}"), browser.find(".ref").getText());
    assertFalse(page.contains("ask for a review"), "a pupil's page never links to the console");
    assertEquals("https://www.facebook.com/", browser.driver.getCurrentUrl());
    browser.screenshot("https-blockpage-pupil");
    List<String> access = gate.logLines("access.jsonl", 1);
    assertTrue(access.stream().anyMatch(l -> l.contains("\"host\":\"www.facebook.com\"") && l.contains("\"decision\":\"block\"")),
        String.join("\n", access));
  }
}
