package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.VlanClient;

/**
 * "Check a site" gives the real reason (issue 24 item 1), in the API and on the page alike: a
 * site a lesson allowance lets through names that allowance and when it ends; a site the head
 * blocked reads as her block, with her reason. The harness's clock: Monday 11:00, the lesson
 * ends at 12:00. Then a pupil's block page reference is looked up in the console (issue 24 item 2)
 * and "allow for this lesson" pressed: the pupil's next visit goes through. "Check a site" at a
 * time in the past answers for that time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckReasonsBrowserTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static String console;
  static AdminClient head;
  static UpstreamServer upstream;

  @BeforeAll
  static void start() throws Exception {
    upstream = UpstreamServer.http();
    gate = new ProxyHarness(dir, upstream.port(), 443, y -> y
        .replace("  staff: [127.0.20.0/24]", "  year9: [127.0.19.0/24]\n  staff: [127.0.20.0/24, 127.0.0.1/32]")
        .replace("  staff:\n    block: [circumvention]", "  year9:\n    block: [social, media-sharing, circumvention]\n"
            + "  staff:\n    block: [circumvention]"),
        Duration.ofSeconds(10), config -> Users.add(config, "head", "head"));
    console = "http://127.0.0.1:" + gate.admin().getPort();
    head = gate.admin(VlanClient.STAFF, "head");
    browser = Browser.start("127.0.0.1:" + gate.proxy().getPort(), List.of());
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
    gate.close();
    upstream.close();
  }

  @Test
  @Order(1)
  void aSiteALessonAllowanceLetsThroughNamesTheAllowanceAndItsEnd() throws Exception {
    AdminClient.Reply made = head.post("/api/overrides", "{\"group\":\"year9\",\"categories\":[\"social\"],"
        + "\"until\":\"2026-11-23T12:00:00Z\",\"reason\":\"History: the museum's Facebook page\"}");
    assertEquals(201, made.status(), made.body());
    long id = made.json().get("id").asLong();

    JsonNode d = head.get("/api/decision?client=127.0.19.5&host=www.facebook.com").json();
    assertEquals("allow", d.get("decision").asText());
    assertEquals("override#" + id + ":facebook.com", d.get("rule").asText(), d.toString());
    assertEquals(id, d.get("override").get("id").asLong(), d.toString());
    assertEquals("2026-11-23T12:00:00.000+00:00", d.get("override").get("until").asText(), d.toString());
    assertTrue(d.get("reason").asText().contains("lesson allowance"), d.toString());

    browser.open(console + "/check?group=year9&url=www.facebook.com");
    String sentence = browser.find(".sentence").getText();
    assertEquals("Allowed: the year9 group can open www.facebook.com now, because the lesson allowance for the year9 group "
        + "lets it through until Monday 23 November, 12:00 (\u201cHistory: the museum's Facebook page\u201d).", sentence);
    String details = browser.find(".answer dl").getText();
    assertTrue(details.contains("social networking"), details);
    assertTrue(details.contains("Lesson allowance " + id), details);
    browser.fullScreenshot("console-check-allowance");
  }

  @Test
  @Order(2)
  void aSiteTheHeadBlockedReadsAsHerBlockWithHerReason() throws Exception {
    AdminClient.Reply made = head.post("/api/blocks", "{\"domain\":\"adverts.test\",\"reason\":\"adult adverts on every page\"}");
    assertEquals(201, made.status(), made.body());

    JsonNode d = head.get("/api/decision?client=127.0.10.7&host=www.adverts.test").json();
    assertEquals("block", d.get("decision").asText());
    assertEquals("reported", d.get("category").asText(), "the wire name stays (SPEC 4)");
    assertEquals("the headteacher has blocked this site: adult adverts on every page", d.get("reason").asText(), d.toString());

    browser.open(console + "/check?device=127.0.10.7&url=www.adverts.test");
    assertEquals("Blocked: the device 127.0.10.7 cannot open www.adverts.test now, because the headteacher has blocked this site: "
        + "adult adverts on every page.", browser.find(".sentence").getText());
    String details = browser.find(".answer dl").getText();
    assertTrue(details.contains("blocked by the headteacher"), details);
    assertTrue(!details.contains("reported"), details);
    browser.fullScreenshot("console-check-head-block");
  }

  @Test
  @Order(3)
  void aPupilsReferenceIsLookedUpAndTheSiteAllowedForTheLesson() throws Exception {
    String pupil = "127.0.10.23";
    HttpResult blocked = visit(pupil); // the access line is written when the connection ends
    assertEquals(403, blocked.status(), blocked.body());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("class=\"ref\">([2-9A-Z]{4}-[2-9A-Z]{4})<").matcher(blocked.body());
    assertTrue(m.find(), "the block page gives a reference: " + blocked.body());
    String ref = m.group(1);
    Await.until("the access line of " + ref + " is written", () -> status("/api/refs/" + ref) == 200);
    JsonNode line = head.get("/api/refs/" + ref.toLowerCase(java.util.Locale.ROOT)).json();
    assertEquals(pupil, line.get("client").asText());
    assertEquals("social:facebook.com", line.get("rule").asText());
    assertEquals(400, status("/api/refs/not-a-ref"));
    AdminClient.Reply missing = head.get("/api/refs/2222-2222");
    assertEquals(404, missing.status());
    assertTrue(missing.body().contains("not found in the last 7 days"), missing.body());

    browser.open(console + "/");
    // the menu is a <details> (open on a wide screen by CSS), which Selenium takes for hidden: click by script
    assertEquals("Look up a reference", browser.find("header nav a[href='/ref']").getAttribute("textContent"));
    browser.script("arguments[0].click()", browser.find("header nav a[href='/ref']"));
    browser.waitForPath("/ref");
    browser.find("#ref").sendKeys(ref.toLowerCase(java.util.Locale.ROOT));
    browser.find("form[action='/ref'] button").click();
    browser.waitForPath("/ref");
    String found = browser.find(".answer").getText();
    for (String fact : List.of(ref, pupil, "pupils", "social networking", "social:facebook.com", "www.facebook.com/groups/history-trip",
        "Monday 23 November, 11:00", "Allow facebook.com for the pupils group until Monday 23 November, 12:00")) {
      assertTrue(found.contains(fact), fact + " in " + found);
    }
    assertEquals(java.util.List.of(), browser.consoleProblems(), "console errors or CSP violations");
    browser.fullScreenshot("console-ref");
    browser.phone();
    try {
      browser.open(console + "/ref?ref=" + ref);
      Number overflow = (Number) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertEquals(0, overflow.intValue(), "/ref scrolls sideways at 390 px");
      browser.screenshot("phone-ref");
    } finally {
      browser.desktop();
    }
    browser.open(console + "/ref?ref=" + ref);
    browser.find("#allow-reason").sendKeys("History: the museum's group");
    browser.find("form.ref-allow button").click();
    browser.waitForPath("/allow");
    assertEquals("Allowed facebook.com for the pupils group until Monday 23 November, 12:00.", browser.find(".flash").getText());
    HttpResult after = visit(pupil);
    assertEquals(200, after.status(), "allowed for the lesson: " + after.body());
  }

  @Test
  @Order(4)
  void checkASiteAnswersForATimeInThePast() {
    browser.open(console + "/check");
    browser.find("#url").sendKeys("www.facebook.com");
    browser.find("#device").sendKeys("127.0.20.9");
    browser.script("document.getElementById('at').value = '2026-11-23T10:35'"); // the morning break, gone by: staff may use social sites
    browser.find("form[action='/check'] button").click();
    browser.waitForPath("/check");
    assertEquals("Allowed: the device 127.0.20.9 can open www.facebook.com at Monday 23 November, 10:35, because no rule matches this site.",
        browser.find(".sentence").getText());
    assertEquals("2026-11-23T10:35", browser.find("#at").getDomProperty("value"), "the time is kept");
    browser.open(console + "/check?device=127.0.20.9&url=www.facebook.com");
    assertTrue(browser.find(".sentence").getText().startsWith("Blocked: the device 127.0.20.9 cannot open www.facebook.com now"),
        browser.find(".sentence").getText());
  }

  private static HttpResult visit(String pupil) throws java.io.IOException {
    try (VlanClient c = gate.client(pupil)) {
      return c.get("http://www.facebook.com:" + upstream.port() + "/groups/history-trip");
    }
  }

  private static int status(String path) {
    try {
      return head.get(path).status();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
