package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * Issue 21.3 on the real admin listener: a new password ends every session of that user at once,
 * whether it is set by {@code user add} on an existing user, by the new {@code user passwd}, or
 * by the person on the console's "Change my password" page (which keeps its own browser signed
 * in with a new session, and needs the current password and the page's CSRF token).
 */
class PasswordChangeTest {
  private static final String DESK = "127.0.20.81";
  private static final String LAPTOP = "127.0.20.82";

  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "netmgr", "netmgr");
      Users.add(config, "teacher", "staff");
      Users.add(config, "colleague", "staff");
    });
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  private static ConsoleClient signIn(String from, String user, String password) {
    ConsoleClient c = new ConsoleClient(from, gate.admin());
    HttpResult r = c.signIn(user, password);
    assertEquals(303, r.status(), r.body());
    return c;
  }

  private static boolean signedIn(ConsoleClient c) {
    return c.get("/report").body().contains("<h1>Report a site</h1>");
  }

  private static String userCommand(String password, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", GateProcess.JAR.toString(), "user"));
    cmd.addAll(java.util.List.of(args));
    cmd.addAll(java.util.List.of("--config", dir.resolve("schoolgate.yaml").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void userPasswdEndsEverySessionOfThatUserOnly() throws Exception {
    ConsoleClient desk = signIn(DESK, "netmgr", Users.PASSWORD);
    ConsoleClient laptop = signIn(LAPTOP, "netmgr", Users.PASSWORD);
    ConsoleClient colleague = signIn(DESK, "colleague", Users.PASSWORD); // no other test changes this account
    assertTrue(signedIn(desk) && signedIn(laptop));
    String out = userCommand("a brand new secret", "passwd", "netmgr");
    assertTrue(out.contains("changed the password of netmgr"), out);
    assertFalse(signedIn(desk), "the desk's session ended with the old password");
    assertFalse(signedIn(laptop), "so did the laptop's");
    assertEquals(401, desk.api("GET", "/api/blocks", null, null).status(), "the old cookie no longer works on the API either");
    assertTrue(signedIn(colleague), "another user's session goes on");
    assertEquals(401, new AdminClient(DESK, gate.admin(), "netmgr", Users.PASSWORD).get("/api/blocks").status());
    assertEquals(200, new AdminClient(DESK, gate.admin(), "netmgr", "a brand new secret").get("/api/blocks").status());
    assertTrue(signedIn(signIn(DESK, "netmgr", "a brand new secret")));
  }

  @Test
  void userAddWithANewPasswordForAnExistingUserEndsItsSessions() throws Exception {
    ConsoleClient desk = signIn(DESK, "teacher", Users.PASSWORD);
    assertTrue(signedIn(desk));
    userCommand("another new secret", "add", "teacher", "--role", "staff");
    assertFalse(signedIn(desk), "a new password ends the session even when the role is the same");
  }

  @Test
  void changeMyPasswordOnTheConsoleEndsTheOtherSessionsAndKeepsThisBrowserSignedIn() throws Exception {
    ConsoleClient desk = signIn(DESK, "head", Users.PASSWORD);
    ConsoleClient laptop = signIn(LAPTOP, "head", Users.PASSWORD);
    HttpResult page = desk.get("/password");
    assertEquals(200, page.status());
    assertTrue(page.body().contains("Change my password"), page.body());
    String oldCookie = desk.cookie;

    HttpResult forged = desk.post("/password", Map.of("current", Users.PASSWORD, "new", "forged password", "again", "forged password"));
    assertEquals(403, forged.status(), "without the page's CSRF token nothing changes");
    HttpResult wrong = desk.form("/password", Map.of("current", "not it at all", "new", "head's new one", "again", "head's new one"));
    assertEquals(303, wrong.status());
    assertTrue(desk.get("/password").body().contains("Your current password is not right"), "a sentence says why");
    desk.form("/password", Map.of("current", Users.PASSWORD, "new", "short", "again", "short"));
    assertTrue(desk.get("/password").body().contains("at least 8 characters"));
    desk.form("/password", Map.of("current", Users.PASSWORD, "new", "head's new one", "again", "heads new one"));
    assertTrue(desk.get("/password").body().contains("not the same"));
    assertTrue(signedIn(laptop), "nothing changed so far");

    HttpResult changed = desk.form("/password", Map.of("current", Users.PASSWORD, "new", "head's new one", "again", "head's new one"));
    assertEquals(303, changed.status());
    String setCookie = changed.header("Set-Cookie");
    assertNotNull(setCookie, "this browser gets a new session");
    desk.cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertFalse(desk.cookie.equals(oldCookie));
    assertTrue(desk.get("/password").body().contains("Your password is changed"));
    assertTrue(signedIn(desk), "this browser stays signed in");
    assertFalse(signedIn(laptop), "the laptop's session ended at once");
    ConsoleClient stale = new ConsoleClient(DESK, gate.admin());
    stale.cookie = oldCookie;
    assertFalse(signedIn(stale), "the old cookie of this browser ended too");
    assertEquals(200, new AdminClient(LAPTOP, gate.admin(), "head", "head's new one").get("/api/blocks").status());
  }
}
