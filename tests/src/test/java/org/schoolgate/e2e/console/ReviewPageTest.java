package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * The annual review (SPEC 11) checked against the traffic this test made on the harness's Monday:
 * blocks per group, category and site (from the counters), attempts, the supervision they caused,
 * a report and its decision, a lesson allowance and the audit of each change; served by the
 * console and written to a file by the {@code review} command, with the same figures.
 */
class ReviewPageTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "teacher", "staff");
    });
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  static void blocked(String source, String url, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      try (VlanClient c = gate.client(source)) {
        assertEquals(403, c.get(url).status(), url);
      }
    }
  }

  @Test
  void theReviewOfTheDayShowsTheBlocksAttemptsReportsAndChangesTheTestMade() throws Exception {
    blocked("127.0.10.70", "http://www.facebook.com/", 3);
    blocked("127.0.10.71", "http://www.facebook.com/groups", 1);
    blocked("127.0.10.70", "http://discord.com/", 2);
    blocked(VlanClient.STAFF, "http://www.reddit.com/", 1); // staff, in a lesson
    String pupil = "127.0.10.72";
    for (int i = 0; i < 5; i++) {
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n").status());
      }
      // An access line is stamped when its connection ends: move the clock only once it is written, or this
      // attempt's line would carry the next minute and the next attempt would be counted as the same visit.
      int written = i + 1;
      Await.until("attempt " + written + "'s access line", () -> gate.events.access.stream()
          .filter(a -> a.client().equals(pupil) && "CONNECT".equals(a.method())).count() == written);
      gate.clock.advance(Duration.ofMinutes(1)); // a device, host and kind make one attempt a minute
    }
    AdminClient teacher = gate.admin(VlanClient.STAFF, "teacher");
    AdminClient head = gate.admin(VlanClient.STAFF, "head");
    long id = teacher.post("/api/reports", "{\"url\": \"https://www.example.org/quiz\", \"kind\": \"unblock\", \"note\": \"maths\"}")
        .json().get("id").asLong();
    assertEquals(200, head.post("/api/reports/" + id + "/approve", "{\"reason\": \"the maths quiz\"}").status());
    assertEquals(201, head.post("/api/overrides", "{\"group\": \"pupils\", \"categories\": [\"media-sharing\"], "
        + "\"until\": \"2026-11-23T12:00:00\", \"reason\": \"film club\"}").status());
    Await.until("supervised", () -> {
      try {
        return head.get("/api/devices").body().contains(pupil);
      } catch (java.io.IOException e) {
        return false;
      }
    });

    ConsoleClient console = new ConsoleClient(VlanClient.STAFF, gate.admin());
    assertEquals(303, console.signIn("head", Users.PASSWORD).status());
    String page = Await.value("the counters written", () -> {
      HttpResult r = console.get("/review?from=2026-11-23&to=2026-11-23");
      return r.status() == 200 && r.body().contains("<span class=\"blocked-total\">9</span>") ? r.body() : null;
    });
    checkFigures(page);
    assertTrue(page.contains("href=\"/assets/console.css\""), "the console's page uses the console's style sheet");

    // The command, as a governor's clerk runs it, while the server runs (SQLite lets a second process read).
    Path file = dir.resolve("review.html");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        GateProcess.JAR.toString(), "review", "--from", "2026-11-23", "--to", "2026-11-23", "--out", file.toString(),
        "--config", dir.resolve("schoolgate.yaml").toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), said);
    assertTrue(said.contains("wrote the review of 23 November 2026 to 23 November 2026"), said);
    String written = Files.readString(file);
    checkFigures(written);
    assertTrue(written.contains("<style>"), "the file carries its style sheet");

    assertEquals(400, console.get("/review?from=2026-11-24&to=2026-11-23").status());
    assertEquals(400, console.get("/review?from=23/11/2026&to=2026-11-23").status());
    ConsoleClient staff = new ConsoleClient(VlanClient.STAFF, gate.admin());
    staff.signIn("teacher", Users.PASSWORD);
    assertEquals(403, staff.get("/review?from=2026-11-23&to=2026-11-23").status());
  }

  private static void checkFigures(String page) {
    assertTrue(page.contains("23 November 2026 to 23 November 2026"), page);
    // visits, not connections: one device opening one site in one minute is one visit however many connections it made
    assertTrue(page.contains("<span class=\"blocked-total\">9</span>"), "2 + 1 + 1 visits to blocked sites and 5 attempts");
    assertEquals("2", top(page, "pupils: social networking (2 blocked)", "www.facebook.com"),
        "facebook: three connections in one minute from one device are one visit, and one from another device");
    assertEquals("1", top(page, "pupils: chat and messaging (1 blocked)", "discord.com"), "two connections, one visit");
    assertEquals("1", top(page, "staff: an online forum (1 blocked)", "www.reddit.com"));
    assertEquals("5", top(page, "pupils: a way of getting round", "example.org"), "the attempts, blocked as circumvention");
    assertTrue(page.contains("<span class=\"attempts-total\">5</span>"), "five attempts");
    assertTrue(page.contains("a tunnel to an unusual port: 5"), "five of them connect-port");
    assertTrue(page.contains(">127.0.10.72<"), "the supervised device");
    assertTrue(page.contains("https://www.example.org/quiz") && page.contains("allowed by head"), "the report and its decision");
    assertTrue(page.contains("the maths quiz"), "why it was decided so");
    assertTrue(page.contains("Agreed with a report and allowed the site") && page.contains("Allowed for a lesson"), "the changes, from the audit");
    assertTrue(page.contains("film club"), "the lesson allowance");
  }

  /** The count after a site in the list under a heading that starts with {@code heading}. */
  private static String top(String page, String heading, String site) {
    int at = page.indexOf("<h3>" + heading);
    assertTrue(at >= 0, "no \"" + heading + "\" in the review");
    Matcher m = Pattern.compile("<span class=\"site\">" + Pattern.quote(site) + "</span>: <span class=\"n\">(\\d+)</span>")
        .matcher(page);
    assertTrue(m.find(at), site + " under " + heading);
    return m.group(1);
  }
}
