package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.Await;

/**
 * The console's second pass, issue 24 items 4, 5, 6, 10 and 11, in a real Chromium: the overview
 * shows today at a glance from the access lines (visits, not connections; background traffic of
 * browsers and systems apart) and a block from today's log is confirmed with a reason; no page a
 * person reads shows a system code; the annual review is for governors; every page fits a phone
 * with its menu closed; a single school (SQLite) sees no trust controls.
 *
 * <p>The clock is the harness's: Monday 11:00 London, in a lesson.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverviewBrowserTest {
  private static final String PUPIL = "127.0.10.71";
  private static final String ATTEMPTER = "127.0.10.72";
  /** Every console page a manager reads. */
  private static final List<String> PAGES = List.of("/", "/reports", "/blocks", "/allow", "/check", "/devices", "/identities",
      "/attempts", "/alerts", "/lists", "/review", "/audit", "/policy", "/report", "/password",
      "/today/act?do=block&host=www.facebook.com");
  /** Codes that must never be the text a person reads (issue 24.4). */
  private static final List<Pattern> CODES = List.of(Pattern.compile("approve-report-block"),
      Pattern.compile("release-supervision"), Pattern.compile("user-(add|update|remove)"), Pattern.compile("ip-literal"),
      Pattern.compile("no-sni"), Pattern.compile("\\bech\\b"), Pattern.compile("connect-port"),
      Pattern.compile("circumvention-site"), Pattern.compile("within \\d+[smhd]\\b"), Pattern.compile("mode lockdown"),
      Pattern.compile("\\(lockdown\\)"), Pattern.compile("\\bRule [a-z-]+:"), Pattern.compile("\\bcli:"),
      Pattern.compile("\\b[a-z-]+:[a-z0-9-]+(\\.[a-z0-9-]+)+\\b(?!/)"),
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}"));

  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static String console;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y.replace("  staff: [127.0.20.0/24]", "  staff: [127.0.20.0/24, 127.0.0.1/32]")
        .replace("log_dir: logs/", "log_dir: logs/\nsite: mellers-primary"),
        Duration.ofSeconds(10), config -> {
          Users.add(config, "head", "head");
          Users.add(config, "mr.jones", "staff");
        });
    console = "http://127.0.0.1:" + gate.admin().getPort();
    browser = Browser.start("127.0.0.1:" + gate.proxy().getPort(), List.of());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    gate.close();
  }

  @Test
  @Order(1)
  void theOverviewShowsTodayInVisitsWithTheBackgroundApart() throws Exception {
    AdminClient api = gate.admin(VlanClient.STAFF, "head");
    assertEquals(201, api.post("/api/blocks", "{\"domain\": \"update.googleapis.com\", \"reason\": \"a test of background"
        + " traffic\"}").status());
    for (int i = 0; i < 3; i++) { // one page view, three connections: one visit
      assertEquals(403, get(PUPIL, "http://www.facebook.com/").status());
    }
    assertEquals(403, get(PUPIL, "http://discord.com/").status());
    for (int i = 0; i < 4; i++) {
      assertEquals(403, get(PUPIL, "http://update.googleapis.com/service/update2").status());
    }
    assertEquals(403, get("127.0.10.73", "http://www.facebook.com/").status());

    browser.open(console + "/");
    signIn("head");
    browser.waitForPath("/");
    Await.until("the overview counting today's visits", () -> {
      browser.open(console + "/");
      return browser.find("#blocked-today").getText().equals("3");
    });
    long visits = Long.parseLong(browser.find("#visits-today").getText());
    assertTrue(visits >= 3, "the pupils' three visits, and whatever the browser fetched itself: " + visits);
    String sites = browser.find("#top-sites").getText().replace('\n', ' ');
    assertTrue(sites.startsWith("www.facebook.com 2"), sites);
    assertTrue(sites.contains("discord.com 1"), sites);
    assertFalse(sites.contains("googleapis"), "background traffic is not among the most blocked: " + sites);
    assertTrue(browser.find("main").getText().matches("(?s).*\\b[1-9]\\d* more (was|were) the background traffic.*"),
        "the pupil's four background connections, one visit, counted apart: " + browser.find("main").getText());
    String devices = browser.find("#top-devices").getText().replace('\n', ' ');
    assertTrue(devices.contains(PUPIL + " 2 visits"), devices); // and the browser's own (127.0.0.1)
    List<WebElement> rows = browser.all("#today-blocks tbody tr");
    assertEquals(3, rows.size());
    assertTrue(rows.get(0).getText().contains("on the list of social networking"), rows.get(0).getText());
    assertTrue(rows.get(0).getText().contains("11:00"), rows.get(0).getText());

    browser.find("#q").sendKeys("discord");
    browser.find("form[role=search] button").click();
    Await.until("the search's answer", () -> browser.all("#today-blocks tbody tr").size() == 1);
    assertTrue(browser.find("#today-blocks").getText().contains("on the list of chat and messaging"));
    browser.open(console + "/");
    browser.fullScreenshot("overview");

    // "Block for everyone" from a line asks why, then blocks.
    browser.find("#today-blocks a[href*='do=block'][href*='discord.com']").click();
    browser.waitForPath("/today/act");
    assertEquals("Block discord.com for everyone", browser.find("h1").getText());
    browser.find("#reason").sendKeys("Chat in lessons, seen by Year 5");
    browser.find("main form button").click();
    browser.waitForPath("/blocks");
    assertEquals("discord.com is now blocked for everyone.", browser.find(".flash").getText());
  }

  @Test
  @Order(2)
  void noPageAPersonReadsShowsASystemCode() throws Exception {
    AdminClient api = gate.admin(VlanClient.STAFF, "head");
    for (int i = 2; i <= 6; i++) { // five bare addresses: supervision
      String host = "127.0.0." + i;
      HttpResult r = send(ATTEMPTER, "CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n");
      assertEquals(403, r.status());
    }
    Await.until("the attempter under supervision", () -> devices(api).contains(ATTEMPTER));
    int released = api.delete("/api/devices/" + ATTEMPTER + "/supervision").status();
    assertTrue(released == 200 || released == 204, "released: " + released);
    AdminClient teacher = gate.admin("127.0.20.9", "mr.jones");
    AdminClient.Reply filed = teacher.post("/api/reports", "{\"url\": \"https://www.unsuitable.test/\", \"kind\":"
        + " \"inappropriate\", \"note\": \"adult adverts\"}");
    assertEquals(201, filed.status(), filed.body());
    long id = filed.json().get("id").asLong();
    assertEquals(200, api.post("/api/reports/" + id + "/approve", "{\"reason\": \"not suitable\"}").status());
    assertTrue(api.get("/api/audit").body().contains("approve-report-block"), "the API keeps the codes");

    for (String path : PAGES) {
      browser.open(console + path);
      String text = browser.find("body").getText();
      for (Pattern code : CODES) {
        Matcher m = code.matcher(text);
        if (m.find()) {
          throw new AssertionError(path + " shows the code \"" + m.group() + "\": " + text);
        }
      }
    }
    browser.open(console + "/audit");
    String audit = browser.find("main").getText();
    assertTrue(audit.contains("Agreed with a report and blocked the site"), audit);
    assertTrue(audit.contains("Released a device from supervision"), audit);
    assertTrue(audit.contains("the command line"), audit);
    assertTrue(audit.contains("Monday 23 November, 11:00"), audit);
    browser.open(console + "/attempts");
    assertTrue(browser.find("main").getText().contains("a site by its number (IP address)"));
  }

  @Test
  @Order(3)
  void theAnnualReviewIsForGovernors() {
    browser.open(console + "/review");
    assertEquals("mellers-primary", browser.find("#school").getText());
    assertTrue(browser.find("#period").getText().endsWith("to 23 November 2026"), browser.find("#period").getText());
    String summary = browser.find("#summary").getText();
    assertTrue(summary.contains("put under supervision"), summary);
    assertTrue(summary.contains("Staff reported 1 site: 1 agreed with and acted on"), summary);
    String main = browser.find("main").getText();
    assertTrue(main.contains("Safe search is"), main);
    assertTrue(main.contains("YouTube is"), main);
    assertEquals("date", browser.find("#from").getDomAttribute("type"));
    browser.script("arguments[0].value = '2026-11-23'", browser.find("#from")); // the picker's value, whatever the locale
    browser.find("form[action='/review'] button").click();
    Await.until("the review of one day", () -> browser.find("#period").getText().startsWith("23 November 2026"));
    browser.fullScreenshot("review");
  }

  @Test
  @Order(4)
  void everyPageFitsAPhoneWithItsMenuClosedAndAWideScreenShowsTheMenu() {
    browser.open(console + "/");
    assertTrue(menuShown(), "the menu is open on a wide screen");
    browser.phone();
    try {
      for (String path : PAGES) {
        browser.open(console + path);
        Number overflow = (Number) browser.script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), path + " scrolls sideways at 390 px");
        if (!path.equals("/review")) {
          assertFalse(menuShown(), path + ": the menu is closed on a phone");
          Number menuHeight = (Number) browser.script("return document.querySelector('header.top').offsetHeight");
          assertTrue(menuHeight.intValue() < 150, path + ": the header takes " + menuHeight + " px");
        }
        browser.screenshot("phone24-" + (path.equals("/") ? "home" : path.substring(1).replaceAll("[?/].*$", "")));
      }
      browser.open(console + "/");
      browser.find("details.menu summary").click();
      assertTrue(menuShown(), "the menu button opens the menu");
      // A table is cards on a phone: each cell says what it is, and a button is in reach.
      browser.open(console + "/");
      WebElement cell = browser.find("#today-blocks td[data-label='Site']");
      assertEquals("block", cell.getCssValue("display"));
      WebElement button = browser.find("#today-blocks a.button");
      Number right = (Number) browser.script("return arguments[0].getBoundingClientRect().right", button);
      assertTrue(right.doubleValue() <= 390, "the button is on the screen: " + right);
    } finally {
      browser.desktop();
    }
  }

  @Test
  @Order(5)
  void aSingleSchoolSeesNoTrustControls() {
    for (String path : List.of("/blocks", "/attempts", "/audit")) {
      browser.open(console + path);
      assertTrue(browser.all("input[name=site]").isEmpty(), path + " has a school field on a single school's console");
      assertFalse(browser.find("main").getText().contains("trust"), path);
    }
  }

  // ---- steps ----

  /** Whether the menu's links are shown (Selenium's isDisplayed takes any link in a closed details for hidden). */
  private static boolean menuShown() {
    return (Boolean) browser.script("const a = document.querySelector(\"header nav a[href='/blocks']\");"
        + " return a.checkVisibility() && a.getBoundingClientRect().width > 0;");
  }

  private static String devices(AdminClient api) {
    try {
      return api.get("/api/devices").body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HttpResult get(String source, String url) throws Exception {
    try (VlanClient c = gate.client(source)) {
      return c.get(url);
    }
  }

  private static HttpResult send(String source, String raw) throws Exception {
    try (VlanClient c = gate.client(source)) {
      return c.send(raw);
    }
  }

  private static void signIn(String user) {
    assertEquals("Sign in to the school's web filter", browser.find("h1").getText());
    browser.find("#username").sendKeys(user);
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
  }
}
