package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.openqa.selenium.support.ui.Select;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * The console's forms, confirmations and new pages (issue 24 items 7, 8, 9; issue 21.1's paging),
 * in a real Chromium against the real admin listener: a refused form comes back as it was typed
 * with a GOV.UK error summary; removing a block and ending an allowance ask what will happen and
 * why, and the reason reaches the audit; a device is named; a staff account is added (its one-time
 * password works once shown), its role changed and removed; decided reports are listed; the
 * blocks and allowances pages hold more rows than a page. Every page is checked at 390 px wide.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleFormsBrowserTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static String console;
  static AdminClient api;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "mr.jones", "staff");
    });
    console = "http://127.0.0.1:" + gate.admin().getPort();
    api = gate.admin(VlanClient.STAFF, "head");
    browser = Browser.start(null, List.of());
    browser.open(console + "/");
    browser.find("#username").sendKeys("head");
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
    browser.waitForPath("/");
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
  @Order(1)
  void aRefusedAllowanceComesBackAsTypedWithAnErrorSummary() {
    browser.open(console + "/allow");
    WebElement category = browser.all("input[name=categories]").get(0);
    String ticked = category.getDomProperty("value");
    category.click();
    browser.find("#sites").sendKeys("www.example.com\nwww.bbc.co.uk");
    browser.find("#reason").sendKeys("Year 9 <b>media</b> studies");
    browser.find("#allow-form button[type=submit]").click();
    browser.waitForPath("/allow");

    WebElement summary = browser.find(".error-summary[role=alert]");
    WebElement link = summary.findElement(org.openqa.selenium.By.cssSelector("a"));
    assertEquals("Please allow either categories or sites, not both at once.", link.getText());
    assertEquals(console + "/allow#sites", link.getDomProperty("href"), "the summary links to the field");
    assertEquals("Error: Please allow either categories or sites, not both at once.", browser.find("#sites-error").getText().replaceAll("\\s+", " "));
    assertEquals("www.example.com\nwww.bbc.co.uk", browser.find("#sites").getDomProperty("value"), "the sites typed are kept");
    assertEquals("Year 9 <b>media</b> studies", browser.find("#reason").getDomProperty("value"), "the reason is kept, inert");
    assertTrue(browser.find("input[name=categories][value='" + ticked + "']").isSelected(), "the tick is kept");
    assertTrue(browser.all("input[name=categories]:checked").size() == 1, "only that tick");
    link.click();
    assertEquals("sites", browser.script("return document.activeElement.id"), "the link takes the head to the field");
    onAPhone(null, "phone-allow-error");
    // The next showing of the page is fresh: the error is said once.
    browser.open(console + "/allow");
    assertTrue(browser.all(".error-summary").isEmpty());
    assertEquals("", browser.find("#sites").getDomProperty("value"));
    browser.consoleProblems();
  }

  @Test
  @Order(2)
  void aBadAddressToBlockIsSaidNextToTheFieldAndTheReasonStays() throws Exception {
    browser.open(console + "/blocks");
    browser.find("#url").sendKeys("10.1.2.3");
    browser.find("#reason").sendKeys("Adult adverts");
    browser.find("form[action='/blocks'] button").click();
    browser.waitForPath("/blocks");
    assertTrue(browser.find(".error-summary a[href='#url']").getText().contains("is an IP address"),
        browser.find(".error-summary").getText());
    assertEquals("10.1.2.3", browser.find("#url").getDomProperty("value"));
    assertEquals("Adult adverts", browser.find("#reason").getDomProperty("value"));
    assertFalse(api.get("/api/blocks").body().contains("10.1.2.3"), "nothing was saved");
    browser.consoleProblems();
  }

  @Test
  @Order(3)
  void removingABlockAsksWhyAndTheReasonIsAudited() throws Exception {
    assertEquals(201, api.post("/api/blocks", "{\"domain\": \"adverts.test\", \"reason\": \"adult adverts\"}").status());
    browser.open(console + "/blocks");
    browser.find("a[aria-label='Remove the block on adverts.test']").click();
    browser.waitForPath("/blocks/remove");
    assertEquals("Remove the block on adverts.test?", browser.find("h1").getText());
    String says = browser.find(".what-happens").getText();
    assertTrue(says.startsWith("Pupils and staff will be able to open adverts.test again") && says.contains("adult adverts"), says);
    assertTrue(api.get("/api/blocks").body().contains("adverts.test"), "opening the page changes nothing");
    onAPhone("/blocks/remove?domain=adverts.test", "phone-confirm-unblock");

    browser.find("form.confirm button[type=submit]").click(); // no reason
    browser.waitForPath("/blocks/remove");
    assertEquals("Please give a reason; it is kept in the audit log",
        browser.find(".error-summary a[href='#reason']").getText());
    assertTrue(api.get("/api/blocks").body().contains("adverts.test"), "still blocked without a reason");

    browser.find("#reason").sendKeys("The adverts are gone; the site is for the Year 6 project");
    browser.find("form.confirm button[type=submit]").click();
    browser.waitForPath("/blocks");
    assertEquals("adverts.test is no longer blocked by the school (the category lists still apply).", browser.find(".flash").getText());
    assertFalse(api.get("/api/blocks").body().contains("adverts.test"));
    JsonNode last = api.get("/api/audit?limit=1").json().get(0);
    assertEquals("unblock", last.get("action").asText());
    assertEquals("The adverts are gone; the site is for the Year 6 project", last.get("reason").asText());
    browser.consoleProblems();
  }

  @Test
  @Order(4)
  void endingAnAllowanceAsksWhyFirst() throws Exception {
    JsonNode o = api.post("/api/overrides", "{\"group\": \"pupils\", \"domains\": [\"video.test\"], \"until\": \""
        + ProxyHarness.MONDAY + "T15:00\", \"reason\": \"Science video\"}").json();
    browser.open(console + "/allow");
    browser.find("a[href='/allow/end?id=" + o.get("id").asText() + "']").click();
    browser.waitForPath("/allow/end");
    assertTrue(browser.find(".what-happens").getText().contains("Science video"), browser.find(".what-happens").getText());
    browser.find("#reason").sendKeys("The lesson finished early");
    browser.find("form.confirm button[type=submit]").click();
    browser.waitForPath("/allow");
    assertEquals("That allowance has ended.", browser.find(".flash").getText());
    JsonNode last = api.get("/api/audit?limit=1").json().get(0);
    assertEquals("delete-override", last.get("action").asText());
    assertEquals("The lesson finished early", last.get("reason").asText());
    browser.consoleProblems();
  }

  @Test
  @Order(5)
  void aDeviceIsNamedFromTheDevicesPage() throws Exception {
    browser.open(console + "/devices");
    browser.find("#device").sendKeys("127.0.10.12");
    browser.find("#name").sendKeys("Y5 iPad 12");
    browser.find("#name-form button[type=submit]").click();
    browser.waitForPath("/devices");
    assertEquals("127.0.10.12 is now called \u201cY5 iPad 12\u201d.", browser.find(".flash").getText());
    JsonNode last = api.get("/api/audit?limit=1").json().get(0);
    assertEquals("name-device", last.get("action").asText());

    browser.find("#device").sendKeys("not a device");
    browser.find("#name").sendKeys("Y6 laptop 3");
    browser.find("#name-form button[type=submit]").click();
    browser.waitForPath("/devices");
    assertNotNull(browser.find(".error-summary a[href='#device']"));
    assertEquals("not a device", browser.find("#device").getDomProperty("value"));
    assertEquals("Y6 laptop 3", browser.find("#name").getDomProperty("value"));
    onAPhone("/devices", "phone-devices");
    browser.consoleProblems();
  }

  @Test
  @Order(6)
  void aStaffAccountIsAddedItsRoleChangedAndRemoved() throws Exception {
    browser.open(console + "/accounts");
    browser.find("#name").sendKeys("j.smith");
    new Select(browser.find("#role")).selectByVisibleText("staff");
    browser.find("#add-account button[type=submit]").click();
    browser.waitForPath("/accounts");
    String said = browser.find(".flash").getText();
    Matcher m = Pattern.compile("one-time password is (\\S+) ").matcher(said);
    assertTrue(m.find(), said);
    AdminClient smith = new AdminClient(VlanClient.STAFF, gate.admin(), "j.smith", m.group(1));
    assertEquals(201, smith.post("/api/reports", "{\"url\": \"https://games.test/\", \"kind\": \"inappropriate\"}").status(),
        "the one-time password signs in");
    browser.open(console + "/accounts");
    assertFalse(browser.find("main").getText().contains(m.group(1)), "the password is shown only once");
    assertTrue(browser.find("table").getText().contains("j.smith"));
    onAPhone("/accounts", "phone-accounts");

    new Select(browser.find("select[name=role][id='role-j.smith']")).selectByValue("netmgr");
    browser.find("button[aria-label='Change the role of j.smith']").click();
    browser.waitForPath("/accounts");
    assertEquals("j.smith is now network manager; any sign-in of theirs has ended.", browser.find(".flash").getText());
    assertEquals(200, new AdminClient(VlanClient.STAFF, gate.admin(), "j.smith", m.group(1)).get("/api/blocks").status(),
        "a network manager now");

    // The last headteacher cannot stop being one.
    new Select(browser.find("select[id='role-head']")).selectByValue("staff");
    browser.find("button[aria-label='Change the role of head']").click();
    browser.waitForPath("/accounts");
    assertEquals("head is the only headteacher: make someone else headteacher first", browser.find(".flash").getText());

    browser.find("a[aria-label='Remove the account j.smith']").click();
    browser.waitForPath("/accounts/remove");
    assertTrue(browser.find(".what-happens").getText().contains("will no longer be able to sign in"));
    browser.find("#reason").sendKeys("Left the school");
    browser.find("form.confirm button[type=submit]").click();
    browser.waitForPath("/accounts");
    assertEquals("j.smith's account has been removed.", browser.find(".flash").getText());
    assertEquals(401, smith.get("/api/reports").status(), "the removed account no longer signs in");
    JsonNode last = api.get("/api/audit?limit=1").json().get(0);
    assertEquals("user-remove", last.get("action").asText());
    assertEquals("Left the school", last.get("reason").asText());
    browser.consoleProblems();
  }

  @Test
  @Order(7)
  void decidedReportsAreListedNewestFirst() throws Exception {
    AdminClient jones = gate.admin(VlanClient.STAFF, "mr.jones");
    long first = jones.post("/api/reports", "{\"url\": \"https://first.test/\", \"kind\": \"inappropriate\"}").json().get("id").asLong();
    long second = jones.post("/api/reports", "{\"url\": \"https://second.test/\", \"kind\": \"unblock\"}").json().get("id").asLong();
    jones.post("/api/reports", "{\"url\": \"https://waiting.test/\", \"kind\": \"unblock\"}");
    assertEquals(200, api.post("/api/reports/" + first + "/approve", "{\"reason\": \"Gambling adverts\"}").status());
    assertEquals(200, api.post("/api/reports/" + second + "/dismiss", "{\"reason\": \"Not needed in lessons\"}").status());
    browser.open(console + "/reports");
    browser.find("a[href='/reports/decided']").click();
    browser.waitForPath("/reports/decided");
    List<String> hosts = browser.all("section.report h2").stream().map(WebElement::getText).toList();
    assertEquals(List.of("second.test", "first.test"), hosts.subList(0, 2), "newest first");
    assertFalse(hosts.contains("waiting.test"), "an open report is not decided");
    String main = browser.find("main").getText();
    assertTrue(main.contains("Dismissed by head") && main.contains("Not needed in lessons"), main);
    assertTrue(main.contains("Approved: blocked for everyone by head") && main.contains("Gambling adverts"), main);
    onAPhone("/reports/decided", "phone-reports-decided");
    browser.consoleProblems();
  }

  @Test
  @Order(8)
  void blocksAndAllowancesArePagedPastFiftyRows() throws Exception {
    for (int i = 0; i < 52; i++) {
      assertEquals(201, api.post("/api/blocks", "{\"domain\": \"site" + i + ".test\", \"reason\": \"paging\"}").status());
      assertEquals(201, api.post("/api/overrides", "{\"group\": \"pupils\", \"domains\": [\"open" + i + ".test\"], \"until\": \""
          + ProxyHarness.MONDAY + "T15:00\", \"reason\": \"paging\"}").status());
    }
    for (String page : List.of("/blocks", "/allow")) {
      browser.open(console + page);
      assertEquals(50, browser.all("tbody tr").size(), page);
      assertEquals(List.of("Older"), browser.all("nav[aria-label=Pages] a").stream().map(WebElement::getText).toList(), page);
      browser.find("nav[aria-label=Pages] a").click();
      int rest = browser.all("tbody tr").size();
      assertTrue(rest >= 2 && rest < 50, page + " second page: " + rest);
      assertEquals("Newer", browser.find("nav[aria-label=Pages] a").getText());
    }
    onAPhone("/blocks", "phone-blocks-paged");
    browser.consoleProblems();
  }

  /** The page at {@code path} (null: the page shown) at 390 px: no sideways scroll; a screenshot. */
  private static void onAPhone(String path, String name) {
    browser.phone();
    try {
      if (path != null) {
        browser.open(console + path);
      }
      Number overflow = (Number) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertEquals(0, overflow.intValue(), path + " scrolls sideways at 390 px");
      browser.screenshot(name);
    } finally {
      browser.desktop();
    }
  }
}
