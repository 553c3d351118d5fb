package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RadClient;
import org.schoolgate.e2e.support.Users;

/**
 * The headteacher, in the real Chromium, sees who is signed in on a device (SPEC 15): in "Check a
 * site" and on "Who is on which device", at desktop width and on a 390 px phone without sideways
 * scrolling, at AA contrast. radclient reports the sign-in as the Wi-Fi controller would.
 */
class IdentityBrowserTest {
  static final String SECRET = "browser-radius-secret";
  static final String TEACHER = "J.Smith@staff.mellers.sch.uk";
  static final String DEVICE = "127.0.10.91";

  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static String console;

  @BeforeAll
  static void start() throws Exception {
    RadClient.require();
    gate = new ProxyHarness(dir, 80, 443, y -> y + """
        identity:
          radius_accounting:
            listen: 127.0.0.1:0
            clients: [127.0.0.1/32]
            secret_file: radius.secret
          users:
            - {match: "*@staff.mellers.sch.uk", group: staff}
        """, Duration.ofSeconds(10), config -> {
          Files.writeString(config.resolveSibling("radius.secret"), SECRET + "\n");
          Users.add(config, "head", "head");
        });
    console = "http://127.0.0.1:" + gate.admin().getPort();
    browser = Browser.start(null, List.of());
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");
    RadClient.Result r = RadClient.acct(gate.server.address("radius"), SECRET, "127.0.0.1",
        RadClient.session("Start", TEACHER, DEVICE, "s-91"));
    assertTrue(r.answered(), r.output());
    try (org.schoolgate.e2e.support.VlanClient c = gate.client(DEVICE)) {
      assertEquals(403, c.get("http://nordvpn.com/").status(), "an attempt to get round the filter");
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (gate != null) {
      gate.close();
    }
  }

  @Test
  void theHeadSeesWhoIsOnADevice() {
    browser.open(console + "/");
    browser.find("#username").sendKeys("head");
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
    browser.waitForPath("/");

    browser.open(console + "/check?device=" + DEVICE + "&url=https%3A%2F%2Fwww.facebook.com%2F");
    assertEquals("Allowed: the device " + DEVICE + ", used by " + TEACHER + ", can open www.facebook.com now, because "
        + "no rule matches this site.", browser.find(".sentence").getText().replaceAll("because .*", "because no rule matches this site."));
    String answer = browser.find(".answer dl").getText();
    assertTrue(answer.contains(TEACHER) && answer.contains("staff"), answer);
    checkPage("console-check-identified");

    // the menu is a <details> (open on a wide screen by CSS), which Selenium takes for hidden: click by script
    browser.script("arguments[0].click()", browser.find("header nav a[href='/identities']"));
    browser.waitForPath("/identities");
    String table = browser.find("table").getText();
    assertTrue(table.contains(TEACHER) && table.contains(DEVICE) && table.contains("staff"), table);
    assertTrue(browser.find("main").getText().contains("One person is signed in."), browser.find("main").getText());
    checkPage("console-identities");

    browser.open(console + "/attempts");
    String attempts = org.schoolgate.testing.Await.value("the attempt listed", () -> {
      browser.open(console + "/attempts");
      String t = browser.find("main").getText();
      return t.contains(TEACHER) ? t : null;
    });
    assertTrue(attempts.contains(DEVICE + ", used by " + TEACHER), attempts);
    checkPage("console-attempts-identified");

    browser.phone();
    try {
      for (String path : List.of("/identities", "/attempts", "/check?device=" + DEVICE + "&url=www.facebook.com")) {
        browser.open(console + path);
        Number overflow = (Number) browser.script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), path + " scrolls sideways at 390 px");
        browser.screenshot("phone-" + path.substring(1).replaceAll("[?].*$", "") + "-identified");
      }
    } finally {
      browser.desktop();
    }
  }

  /** No console error or CSP violation, AA contrast for every text; then a screenshot. */
  private static void checkPage(String name) {
    assertEquals(List.of(), browser.consoleProblems(), "console errors or CSP violations on " + name);
    @SuppressWarnings("unchecked")
    List<String> lowContrast = (List<String>) browser.script(Contrast.SCRIPT);
    assertEquals(List.of(), lowContrast, "text below WCAG 2.1 AA contrast on " + name);
    browser.fullScreenshot(name);
  }
}
