package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.FakeClock;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * The console's sessions on the real admin listener (SPEC section 8): the cookie's flags and
 * lifetimes on the harness's clock, sign-out, the shared 429, CSRF on forms and on the API, a
 * removed user signed out at once, and no way to be sent elsewhere after signing in.
 */
class ConsoleSessionTest {
  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "leaver", "staff");
      Users.add(config, "teacher", "staff");
    });
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  @BeforeEach
  void monday() {
    gate.clock.set(FakeClock.london(ProxyHarness.MONDAY + "T11:00"));
  }

  private static ConsoleClient head(String from) {
    ConsoleClient c = new ConsoleClient(from, gate.admin());
    HttpResult r = c.signIn("head", Users.PASSWORD);
    assertEquals(303, r.status(), r.body());
    return c;
  }

  private static boolean signedIn(ConsoleClient c) {
    return c.get("/audit").body().contains("<h1>Audit trail</h1>");
  }

  @Test
  void theFrontPageIsHtmlWithASignInFormNeverJson() {
    HttpResult r = new ConsoleClient("127.0.20.70", gate.admin()).get("/");
    assertEquals(200, r.status());
    assertTrue(r.header("Content-Type").startsWith("text/html"));
    assertTrue(r.body().contains("<form method=\"post\" action=\"/login\""));
    assertNull(r.header("WWW-Authenticate"), "no browser password prompt");
    assertTrue(r.header("Content-Security-Policy").contains("default-src 'self'"));
    ConsoleClient signedIn = head("127.0.20.70");
    HttpResult missing = signedIn.get("/no-such-page");
    assertEquals(404, missing.status());
    assertTrue(missing.header("Content-Type").startsWith("text/html"));
  }

  @Test
  void aGoodSignInSetsAStrictHttpOnlyCookieForEightHoursAtMost() {
    ConsoleClient c = new ConsoleClient("127.0.20.71", gate.admin());
    HttpResult r = c.signIn("head", Users.PASSWORD);
    String cookie = r.header("Set-Cookie");
    assertNotNull(cookie);
    assertTrue(cookie.contains("; HttpOnly"), cookie);
    assertTrue(cookie.contains("; SameSite=Strict"), cookie);
    assertTrue(cookie.contains("; Path=/"), cookie);
    assertFalse(cookie.contains("Secure"), "the admin listener serves plain HTTP: " + cookie);
    long maxAge = Long.parseLong(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
    assertTrue(maxAge > 0 && maxAge <= 8 * 3600, cookie);
    assertEquals("/", r.header("Location"));
    assertTrue(signedIn(c));
  }

  @Test
  void aSessionEndsAfterThirtyIdleMinutes() {
    ConsoleClient c = head("127.0.20.72");
    gate.clock.advance(Duration.ofMinutes(29));
    assertTrue(signedIn(c), "29 idle minutes");
    gate.clock.advance(Duration.ofMinutes(29));
    assertTrue(signedIn(c), "each request restarts the idle time");
    gate.clock.advance(Duration.ofMinutes(30));
    assertFalse(signedIn(c), "30 idle minutes end it");
  }

  @Test
  void aSessionEndsAfterEightHoursHoweverBusy() {
    ConsoleClient c = head("127.0.20.73");
    for (int i = 0; i < 23; i++) {
      gate.clock.advance(Duration.ofMinutes(20));
      assertTrue(signedIn(c), "after " + (i + 1) * 20 + " minutes");
    }
    gate.clock.advance(Duration.ofMinutes(20)); // 8 h
    assertFalse(signedIn(c));
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() {
    ConsoleClient c = head("127.0.20.74");
    c.get("/");
    HttpResult out = c.form("/logout", Map.of());
    assertEquals(303, out.status());
    assertTrue(out.header("Set-Cookie").contains("Max-Age=0"));
    assertFalse(signedIn(c), "the old cookie no longer works, even if a browser kept it");
  }

  @Test
  void aFormWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
    ConsoleClient c = head("127.0.20.75");
    c.get("/blocks");
    HttpResult forged = c.post("/blocks", Map.of("url", "forged-one.test", "reason", "no token"));
    assertEquals(403, forged.status());
    HttpResult wrong = c.post("/blocks", Map.of("_csrf", "not-the-token", "url", "forged-two.test", "reason", "bad token"));
    assertEquals(403, wrong.status());
    String blocks = gate.admin("127.0.20.75", "head").get("/api/blocks").body();
    assertFalse(blocks.contains("forged-one.test") || blocks.contains("forged-two.test"), blocks);

    HttpResult ok = c.form("/blocks", Map.of("url", "https://www.with-token.test/x", "reason", "with the token"));
    assertEquals(303, ok.status());
    assertTrue(c.get("/blocks").body().contains("with-token.test is now blocked for everyone."));
  }

  @Test
  void theCookieWorksOnTheApiAndAChangeNeedsTheTokenHeader() {
    ConsoleClient c = head("127.0.20.76");
    c.get("/");
    assertEquals(200, c.api("GET", "/api/blocks", null, null).status(), "reading needs no token");
    HttpResult refused = c.api("POST", "/api/blocks", "{\"domain\": \"api-cookie.test\", \"reason\": \"r\"}", null);
    assertEquals(403, refused.status());
    assertTrue(refused.body().contains("X-CSRF-Token"), refused.body());
    assertEquals(201, c.api("POST", "/api/blocks", "{\"domain\": \"api-cookie.test\", \"reason\": \"r\"}", c.csrf).status());
    assertEquals(401, new ConsoleClient("127.0.20.76", gate.admin()).api("GET", "/api/blocks", null, null).status(),
        "no cookie, no Basic: 401 as before");
  }

  @Test
  void aRemovedUserIsSignedOutAtOnce() {
    ConsoleClient c = new ConsoleClient("127.0.20.77", gate.admin());
    assertEquals(303, c.signIn("leaver", Users.PASSWORD).status());
    assertEquals(200, c.get("/report").status());
    assertTrue(c.get("/report").body().contains("Send the report"));
    gate.server.store().transaction(ops -> ops.users().remove("leaver")).join();
    HttpResult after = c.get("/report");
    assertTrue(after.body().contains("Sign in to the school's web filter"), after.body());
    assertEquals(401, c.api("GET", "/api/blocks", null, null).status());
  }

  @Test
  void failedSignInsOnTheFormCountTowardsTheSame429AsTheApi() throws Exception {
    ConsoleClient c = new ConsoleClient("127.0.20.78", gate.admin());
    for (int i = 1; i <= 5; i++) {
      HttpResult r = c.signIn("head", "guess " + i);
      assertEquals(401, r.status());
      assertTrue(r.body().contains("The user name or password is wrong"));
    }
    HttpResult api = gate.admin("127.0.20.78", "head").get("/api/blocks").raw();
    assertEquals(429, api.status(), "the API from the same address and account waits too");
    HttpResult form = c.signIn("head", Users.PASSWORD);
    assertEquals(429, form.status());
    assertNotNull(form.header("Retry-After"));
    assertTrue(form.body().contains("please wait"), form.body());
  }

  @Test
  void afterSigningInTheConsoleNeverSendsYouToAnotherSite() {
    for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example", "/ok?x=1"}) {
      ConsoleClient c = new ConsoleClient("127.0.20.79", gate.admin());
      HttpResult r = c.post("/login", Map.of("username", "head", "password", Users.PASSWORD, "next", next));
      assertEquals(next.equals("/ok?x=1") ? "/ok?x=1" : "/", r.header("Location"), next);
    }
  }

  @Test
  void staffAreRefusedTheHeadsPagesAndForms() {
    ConsoleClient c = new ConsoleClient("127.0.20.80", gate.admin());
    assertEquals(303, c.signIn("teacher", Users.PASSWORD).status());
    assertEquals(403, c.get("/blocks").status());
    c.get("/report");
    assertEquals(403, c.form("/blocks", Map.of("url", "staff-block.test", "reason", "r")).status());
  }
}
