package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AdminClient.Reply;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.store.Store;
import org.schoolgate.store.Stores;

/**
 * Issue 21.1 and 21.11 on the shipped jar with a production-like heap ({@code -Xmx256m}): a store
 * that already holds 1,500 reports whose notes are 65,000 characters each (and the audit rows
 * that copied them, written before notes were bounded), then a staff account sending more; the
 * head opens Reports, {@code /api/reports?status=open}, the audit trail, {@code /review} and runs
 * the {@code review} command. Every answer comes, in pages of bounded size, and the process
 * stays up. Dates outside 1970-2199 get a sentence, never a 500 or a stack trace.
 */
class HeavyStaffAccountTest {
  private static final String HEAD_DESK = "127.0.20.91";
  private static final String TEACHER_DESK = "127.0.20.92";
  private static final String HUGE = "x".repeat(65_000);
  private static final int OLD_REPORTS = 1_500;
  /** Far more than a page of 50 short rows, far less than a page that carried whole notes. */
  private static final int MOST_BYTES = 2_000_000;

  @TempDir
  static Path dir;
  static LoopbackDns dns;
  static Path config;
  static GateProcess gate;

  @BeforeAll
  static void start() throws Exception {
    dns = new LoopbackDns();
    config = ProxyHarness.writeConfig(dir, 80, 443, dns.address().getPort(), y -> y);
    Users.add(config, "head", "head");
    Users.add(config, "teacher", "staff");
    String now = OffsetDateTime.now(ZoneId.of("Europe/London")).minusHours(1).toString();
    try (Store store = Stores.open(ConfigLoader.load(config), false)) { // rows as the old code wrote them
      store.transaction(ops -> {
        for (int i = 0; i < OLD_REPORTS; i++) {
          ops.reports().file("https://www.example.org/" + i, "www.example.org", "inappropriate", HUGE, "teacher", now);
          ops.audit().append(now, "teacher", "report-inappropriate", "www.example.org", HUGE);
        }
        return null;
      }).join();
    }
    gate = GateProcess.start(config, "-Xmx256m");
  }

  @AfterAll
  static void stop() {
    if (gate != null) {
      gate.close();
    }
    dns.close();
  }

  private static AdminClient head() {
    return new AdminClient(HEAD_DESK, gate.address("admin"), "head", Users.PASSWORD);
  }

  private static void stillUp() throws Exception {
    assertTrue(gate.isAlive(), "schoolgate is still running");
    assertEquals(200, head().get("/healthz").status());
  }

  @Test
  void theHeadReadsEveryListInBoundedPagesWhateverTheStoreHolds() throws Exception {
    ConsoleClient console = new ConsoleClient(HEAD_DESK, gate.address("admin"));
    assertEquals(303, console.signIn("head", Users.PASSWORD).status());
    HttpResult reports = console.get("/reports");
    assertEquals(200, reports.status(), () -> "the Reports page: " + reports.body().substring(0, Math.min(300, reports.body().length())));
    assertTrue(reports.body().length() < MOST_BYTES, "the Reports page is " + reports.body().length() + " characters");
    assertTrue(reports.body().contains("Older"), "a full page links to the older reports");
    stillUp();

    Reply open = head().get("/api/reports?status=open");
    assertEquals(200, open.status());
    assertEquals(50, open.json().size(), "a page of 50 by default");
    assertTrue(open.body().length() < MOST_BYTES, "/api/reports is " + open.body().length() + " characters");
    JsonNode first = open.json().get(0);
    assertTrue(first.get("note").asText().length() <= 2_048, "an old huge note is shown cut");
    String next = open.raw().header("Link");
    assertNotNull(next, "a full page links to the next");
    String nextPath = next.substring(next.indexOf('<') + 1, next.indexOf('>'));
    Reply second = head().get(nextPath);
    assertEquals(50, second.json().size());
    assertTrue(second.json().get(0).get("id").asLong() < open.json().get(49).get("id").asLong(), "the next page is older");
    assertEquals(400, head().get("/api/reports?status=open&limit=100000").status(), "a page is 200 rows at most");
    assertEquals(200, head().get("/api/reports?status=open&limit=200").status());

    Reply audit = head().get("/api/audit");
    assertEquals(200, audit.status());
    assertTrue(audit.json().size() <= 50 && audit.body().length() < MOST_BYTES, "/api/audit is " + audit.body().length());
    HttpResult auditPage = console.get("/audit");
    assertEquals(200, auditPage.status());
    assertTrue(auditPage.body().length() < MOST_BYTES, "the audit page is " + auditPage.body().length());
    stillUp();

    HttpResult review = console.get("/review");
    assertEquals(200, review.status());
    assertTrue(review.body().length() < 8 * MOST_BYTES, "the review page is " + review.body().length() + " characters");
    assertTrue(review.body().contains("more changes in the period"), "the review says how many changes it leaves out");
    stillUp();

    Path file = dir.resolve("review.html");
    Process p = new ProcessBuilder(java(), "-Xmx256m", "-jar", GateProcess.JAR.toString(), "review", "--from",
        java.time.LocalDate.now().minusDays(1).toString(), "--to", java.time.LocalDate.now().plusDays(1).toString(), "--out",
        file.toString(), "--config", config.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the review command finishes");
    assertEquals(0, p.exitValue(), out);
    assertTrue(Files.size(file) < 8L * MOST_BYTES, "the review file is " + Files.size(file) + " bytes");
  }

  @Test
  void aStaffAccountCannotSendHugeNotesNorFileReportsWithoutEnd() throws Exception {
    AdminClient teacher = new AdminClient(TEACHER_DESK, gate.address("admin"), "teacher", Users.PASSWORD);
    Reply huge = teacher.post("/api/reports", "{\"url\": \"https://www.example.org/a\", \"kind\": \"inappropriate\", \"note\": \""
        + HUGE + "\"}");
    assertEquals(400, huge.status(), () -> huge.body().substring(0, Math.min(300, huge.body().length())));
    assertTrue(huge.error().contains("2000 characters at most"), huge.error());
    Reply longUrl = teacher.post("/api/reports", "{\"url\": \"https://www.example.org/" + "a".repeat(5_000)
        + "\", \"kind\": \"inappropriate\"}");
    assertEquals(400, longUrl.status(), () -> longUrl.body().substring(0, Math.min(300, longUrl.body().length())));
    // the old rows were filed today by this account, so it is already past the day's 50
    Reply more = teacher.post("/api/reports", "{\"url\": \"https://www.example.org/b\", \"kind\": \"inappropriate\", \"note\": \"n\"}");
    assertEquals(429, more.status(), () -> more.body().substring(0, Math.min(300, more.body().length())));
    assertTrue(more.error().startsWith("You have filed 50 reports today"), more.error());
    assertNotNull(more.raw().header("Retry-After"));
    stillUp();
  }

  @Test
  void datesOutsideTheRangeGetASentenceNotAServerError() throws Exception {
    Reply events = head().get("/api/events?since=-999999999-01-01T00:00:00Z");
    assertEquals(400, events.status(), events.body());
    assertTrue(events.error().contains("from 1970 to 2199"), events.error());
    Reply decision = head().get("/api/decision?client=127.0.10.5&host=example.org&at=%2B999999999-12-31T00:00:00");
    assertEquals(400, decision.status(), decision.body());
    ConsoleClient console = new ConsoleClient(HEAD_DESK, gate.address("admin"));
    console.signIn("head", Users.PASSWORD);
    HttpResult review = console.get("/review?from=-999999999-01-01&to=2026-01-01");
    assertEquals(400, review.status());
    assertTrue(review.body().contains("from 1970 to 2199"), review.body());
    for (List<String> dates : List.of(List.of("-999999999-01-01", "2026-01-01"), List.of("2026-01-01", "+999999999-12-31"),
        List.of("1900-01-01", "2026-01-01"))) {
      Process p = new ProcessBuilder(java(), "-jar", GateProcess.JAR.toString(), "review", "--from", dates.get(0), "--to",
          dates.get(1), "--out", dir.resolve("never.html").toString(), "--config", config.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue(), dates + ": " + out);
      assertFalse(out.contains("Exception") || out.contains("\tat "), "a sentence, not a stack trace: " + out);
      assertTrue(out.contains("1970 to 2199"), out);
    }
    stillUp();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
