package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AlertsConfig;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.SmtpServer;
import org.schoolgate.testing.TestPostgres;

/**
 * Two gateways of a trust on one real PostgreSQL that is stopped and started again (SPEC 12;
 * issue 20 items 3, 4 and 5). Idle, each puts at most one transaction a second on the database
 * (counted by PostgreSQL itself, {@code pg_stat_database}). With the database stopped the console
 * answers a change with a 503 page that says it cannot be saved and that filtering goes on. Once
 * it is back, a block accepted on gateway A is in force on gateway B within a second: B listens
 * again and catches up by itself.
 */
class TrustRestartTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  @Test
  void gatewaysFollowEachOtherAgainAfterTheDatabaseRestartsAndPutNoLoadOnItWhenIdle(@TempDir Path dir) throws Exception {
    try (TestPostgres pg = TestPostgres.start(); UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns();
         SmtpServer smtp = new SmtpServer("filter", "s3cret").up()) {
      String url = pg.newDatabase();
      String database = url.substring(url.lastIndexOf('/') + 1);
      Path configA = configure(dir.resolve("a"), "school-a", url, web.port(), dns, smtp.port());
      Path configB = configure(dir.resolve("b"), "school-b", url, web.port(), dns, smtp.port());
      Users.add(configA, "head", "head");
      String[] trust = {"-Djavax.net.ssl.trustStore=" + SmtpServer.trustStore(dir), "-Djavax.net.ssl.trustStorePassword=changeit",
          "-Djavax.net.ssl.trustStoreType=PKCS12"};
      try (GateProcess a = GateProcess.start(configA, trust); GateProcess b = GateProcess.start(configB, trust)) {
        AdminClient headOnA = new AdminClient(VlanClient.STAFF, a.address("admin"), "head", Users.PASSWORD);
        AdminClient headOnB = new AdminClient(VlanClient.STAFF, b.address("admin"), "head", Users.PASSWORD);
        assertEquals(200, headOnA.get("/api/blocks").status());
        assertEquals(200, headOnB.get("/api/blocks").status());
        String page = "http://school.test:" + web.port() + "/";
        assertEquals(200, TrustTest.fetch(b, VlanClient.OFFICE, page));

        // Three stages in order, each reported even when an earlier one failed.
        assertAll(() -> idleLoad(pg, database), () -> consoleWhileAway(pg, a, b, page), () -> {
          pg.startServer();
          afterTheRestart(headOnA, b, page);
        });
      }
    }
  }

  /** Idle, no traffic and no changes: PostgreSQL's own count of this database's transactions. */
  static void idleLoad(TestPostgres pg, String database) throws Exception {
    settle(pg, database);
    long before = transactions(pg, database);
    long start = System.nanoTime();
    Await.until("a 10 s window of idleness", Duration.ofSeconds(20),
        () -> System.nanoTime() - start >= Duration.ofSeconds(10).toNanos());
    long idle = transactions(pg, database) - before;
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("idle load: %d transactions in %.1f s from two idle gateways%n", idle, seconds);
    assertTrue(idle <= 2 * seconds, () -> "two idle gateways made " + idle + " transactions in " + seconds
        + " s: more than one a second each");
  }

  /** The console while the database is away: a change cannot be saved, filtering goes on. */
  static void consoleWhileAway(TestPostgres pg, GateProcess a, GateProcess b, String page) throws Exception {
    String cookie = signIn(a, "head");
    HttpResult blocks = console(a, "GET /blocks HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie + "\r\n\r\n");
    Matcher csrf = CSRF.matcher(blocks.body());
    assertTrue(csrf.find(), blocks::body);
    pg.stopServer();
    String form = "_csrf=" + enc(csrf.group(1)) + "&url=" + enc("away.example") + "&reason=" + enc("while it is away");
    HttpResult refused = console(a, "POST /blocks HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie
        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);
    assertEquals(503, refused.status(), refused::body);
    assertEquals("30", refused.header("Retry-After"));
    assertTrue(refused.body().contains("Changes cannot be saved right now"), refused::body);
    assertTrue(refused.body().contains("Filtering goes on"), refused::body);
    assertEquals(200, TrustTest.fetch(b, VlanClient.OFFICE, page), "and filtering goes on");
  }

  /** The database is back: the first block accepted on A is in force on B within a second. */
  static void afterTheRestart(AdminClient headOnA, GateProcess b, String page) {
    Await.until("gateway A accepts a block again", Duration.ofSeconds(60), () -> {
      try {
        int status = headOnA.post("/api/blocks", "{\"domain\":\"school.test\",\"reason\":\"after the restart\"}").status();
        return status == 201 || status == 200;
      } catch (IOException e) {
        return false;
      }
    });
    long accepted = System.nanoTime();
    Await.until("the block is enforced on gateway B within 1 s of A's 201", Duration.ofSeconds(1), () -> {
      try {
        return TrustTest.fetch(b, VlanClient.OFFICE, page) == 403;
      } catch (IOException e) {
        return false;
      }
    });
    System.out.printf("after the database restarted: enforced on gateway B %d ms after A's 201%n",
        (System.nanoTime() - accepted) / 1_000_000);
  }

  static Path configure(Path dir, String site, String url, int httpPort, LoopbackDns dns, int smtpPort) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("db.pass"), TestPostgres.PASSWORD + "\n");
    Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
    return ProxyHarness.writeConfig(dir, httpPort, 443, dns.address().getPort(),
        y -> TrustTest.trust(site, url).apply(y) + AlertsConfig.section(smtpPort, null));
  }

  /** Commits and rollbacks of {@code database}, as PostgreSQL counts them (read from another database). */
  static long transactions(TestPostgres pg, String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.url("postgres"), TestPostgres.USER, TestPostgres.PASSWORD);
         PreparedStatement ps = c.prepareStatement(
             "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Waits (up to 15 s) until the count stands still between two reads a second apart: a server
   * process reports its counts when it goes idle, up to 10 s late after a burst (the start-up's).
   */
  static void settle(TestPostgres pg, String database) throws SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    long last = transactions(pg, database);
    while (System.nanoTime() < deadline) {
      long mark = System.nanoTime();
      Await.until("a second between two reads", () -> System.nanoTime() - mark >= 1_000_000_000L);
      long now = transactions(pg, database);
      if (now == last) {
        return;
      }
      last = now;
    }
  }

  static String signIn(GateProcess gate, String user) throws IOException {
    String form = "username=" + user + "&password=" + enc(Users.PASSWORD);
    HttpResult r = console(gate, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + form.length() + "\r\n\r\n" + form);
    String setCookie = r.header("Set-Cookie");
    assertTrue(setCookie != null, r::body);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static HttpResult console(GateProcess gate, String raw) throws IOException {
    try (VlanClient c = new VlanClient(VlanClient.STAFF, gate.address("admin"))) {
      return c.send(raw);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
