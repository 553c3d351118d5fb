package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Issue 21 (items 2, 8 and 10), each header rule of the admin listener on raw HTTP: the API takes
 * only JSON bodies, no change is made from another origin ({@code Origin}, {@code Sec-Fetch-Site}),
 * the sign-in included, a browser is never asked for a Basic password while a script still is, and
 * only the console's own names are answered ({@code Host}). {@code curl -u} keeps working.
 */
class AdminRequestChecksTest {
  private static final AtomicInteger N = new AtomicInteger();

  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static String own;
  static String basic;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y + "  hostnames: [filter.school.test]\n"
        + "  console_url: http://console.school.test:8088/\n", Duration.ofSeconds(10),
        config -> Users.add(config, "head", "head"));
    own = "127.0.0.1:" + gate.admin().getPort();
    basic = "Basic " + Base64.getEncoder().encodeToString(("head:" + Users.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  private static HttpResult send(String raw) throws IOException {
    try (VlanClient c = new VlanClient(VlanClient.STAFF, gate.admin())) {
      return c.send(raw);
    }
  }

  /** A new admin block as a script or a page sends it, with the extra header lines given. */
  private static HttpResult block(String headers) throws IOException {
    String body = "{\"domain\":\"blocked" + N.incrementAndGet() + ".example\",\"reason\":\"a test\"}";
    return send("POST /api/blocks HTTP/1.1\r\nHost: " + own + "\r\nAuthorization: " + basic + "\r\n" + headers
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  @Test
  void theApiTakesOnlyJsonBodies() throws Exception {
    HttpResult plain = block("Content-Type: text/plain\r\n");
    assertEquals(415, plain.status(), plain.body());
    assertTrue(plain.body().contains("Content-Type: application/json"), plain.body());
    assertEquals(415, block("").status(), "no Content-Type at all");
    assertEquals(415, block("Content-Type: application/x-www-form-urlencoded\r\n").status());
    assertEquals(201, block("Content-Type: application/json; charset=utf-8\r\n").status());
    assertEquals(201, block("Content-Type: Application/JSON\r\n").status());
  }

  @Test
  void aChangeFromAnotherOriginIsRefused() throws Exception {
    String json = "Content-Type: application/json\r\n";
    HttpResult other = block(json + "Origin: http://127.0.0.2:8000\r\n");
    assertEquals(403, other.status(), other.body());
    assertTrue(other.body().contains("another website"), other.body());
    assertEquals(403, block(json + "Origin: null\r\n").status());
    assertEquals(403, block(json + "Origin: https://" + own + "\r\n").status(), "another scheme is another origin");
    assertEquals(201, block(json + "Origin: http://" + own + "\r\n").status(), "the console's own origin");
  }

  @Test
  void secFetchSiteAllowsOnlySameOriginAndTypedRequests() throws Exception {
    String json = "Content-Type: application/json\r\n";
    assertEquals(403, block(json + "Sec-Fetch-Site: cross-site\r\n").status());
    assertEquals(403, block(json + "Sec-Fetch-Site: same-site\r\n").status(), "another port or name of the same site");
    assertEquals(201, block(json + "Sec-Fetch-Site: same-origin\r\n").status());
    assertEquals(201, block(json + "Sec-Fetch-Site: none\r\n").status());
    assertEquals(201, block(json).status(), "a script sends no Sec-Fetch-Site");
  }

  @Test
  void aSignInPostedFromAnotherOriginIsRefusedWithNoCookie() throws Exception {
    String form = "username=head&password=" + Users.PASSWORD.replace(' ', '+');
    String login = "POST /login HTTP/1.1\r\nHost: " + own + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + form.length() + "\r\nConnection: close\r\n";
    HttpResult forged = send(login + "Origin: http://127.0.0.2:8000\r\nSec-Fetch-Site: cross-site\r\n\r\n" + form);
    assertEquals(403, forged.status(), forged.body());
    assertNull(forged.header("Set-Cookie"), "no session for a forged sign-in");
    HttpResult byOrigin = send(login + "Origin: http://127.0.0.2:8000\r\n\r\n" + form);
    assertEquals(403, byOrigin.status());
    HttpResult real = send(login + "Origin: http://" + own + "\r\nSec-Fetch-Site: same-origin\r\n\r\n" + form);
    assertEquals(303, real.status(), real.body());
    assertTrue(real.header("Set-Cookie").startsWith("schoolgate_session="));
  }

  @Test
  void aBrowserIsNeverAskedForABasicPasswordAScriptIs() throws Exception {
    String get = "GET /api/blocks HTTP/1.1\r\nHost: " + own + "\r\nConnection: close\r\n";
    HttpResult browser = send(get + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n\r\n");
    assertEquals(401, browser.status());
    assertNull(browser.header("WWW-Authenticate"), "a browser would prompt and then keep the password");
    HttpResult fetchOnly = send(get + "Sec-Fetch-Mode: navigate\r\n\r\n");
    assertNull(fetchOnly.header("WWW-Authenticate"));
    HttpResult script = send(get + "User-Agent: Wget/1.21\r\n\r\n");
    assertEquals(401, script.status());
    assertTrue(script.header("WWW-Authenticate").startsWith("Basic"), "scripts still get the challenge");
  }

  @Test
  void onlyTheConsolesOwnNamesAndAddressesAreAnswered() throws Exception {
    for (String host : List.of("evil.example", "evil.example:" + gate.admin().getPort(), "127.0.0.1.evil.example",
        "filter.school.test.evil.example", "127.0.0.1:80@evil.example", "[::1")) {
      HttpResult r = send("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertEquals(421, r.status(), host + ": " + r.body());
      assertTrue(r.body().contains("admin.hostnames"), r.body());
    }
    assertEquals(421, send("POST /login HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\n\r\n").status());
    for (String host : List.of(own, "127.0.0.1", "localhost:" + gate.admin().getPort(), "filter.school.test",
        "FILTER.school.test.:" + gate.admin().getPort(), "console.school.test:8088", "[::1]:" + gate.admin().getPort())) {
      assertEquals(200, send("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status(), host);
    }
  }

  @Test
  void curlWithAPasswordKeepsWorking() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    Process p = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--interface", VlanClient.STAFF,
        "-u", "head:" + Users.PASSWORD, "-H", "Content-Type: application/json",
        "-d", "{\"domain\":\"curl.example\",\"reason\":\"from a script\"}", "http://" + own + "/api/blocks")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("201", out);
  }
}
