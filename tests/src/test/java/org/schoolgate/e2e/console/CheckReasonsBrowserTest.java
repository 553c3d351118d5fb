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
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * "Check a site" gives the real reason (issue 24 item 1), in the API and on the page alike: a
 * site a lesson allowance lets through names that allowance and when it ends; a site the head
 * blocked reads as her block, with her reason. The harness's clock: Monday 11:00, the lesson
 * ends at 12:00.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckReasonsBrowserTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static String console;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y
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
        + "lets it through until Mon 23 Nov 2026, 12:00 (\u201cHistory: the museum's Facebook page\u201d).", sentence);
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
}
