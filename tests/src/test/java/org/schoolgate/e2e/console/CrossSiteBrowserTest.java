package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Issue 21, items 2 and 8, in a real Chromium: a page of another origin (a small web server on
 * 127.0.0.2, as any website the head visits) auto-submits forms at the console. It must not
 * change anything through a Basic password the browser sends for the console's origin, nor swap
 * the head's session for another account's by a forged sign-in. The browser connects from
 * 127.0.0.1, which this configuration allows to reach the admin listener.
 */
class CrossSiteBrowserTest {
  private static final String OVERRIDE = "{\"group\":\"pupils\",\"categories\":[\"social\"],"
      + "\"until\":\"2026-11-23T12:00:00Z\",\"reason\":\"csrf";

  @TempDir
  static Path dir;
  static ProxyHarness gate;
  static Browser browser;
  static HttpServer attacker;
  static String console;
  static String evil;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "mr.jones", "staff");
    });
    console = "http://127.0.0.1:" + gate.admin().getPort();
    attacker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    page("/overrides", "<form method=\"post\" enctype=\"text/plain\" action=\"" + console + "/api/overrides\">"
        + "<input type=\"hidden\" name='" + OVERRIDE + "' value='\"}'></form>");
    page("/login", "<form method=\"post\" action=\"" + console + "/login\">"
        + "<input type=\"hidden\" name=\"username\" value=\"mr.jones\">"
        + "<input type=\"hidden\" name=\"password\" value=\"" + Users.PASSWORD + "\"></form>");
    attacker.start();
    evil = "http://127.0.0.2:" + attacker.getAddress().getPort();
    browser = Browser.start(null, java.util.List.of("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2"));
  }

  /** A page of the other site that submits its one form as soon as it loads (inline script: the other site has no CSP). */
  private static void page(String path, String form) {
    byte[] html = ("<!doctype html><title>Cute cats</title><body>" + form
        + "<script>document.forms[0].submit()</script></body>").getBytes(StandardCharsets.UTF_8);
    attacker.createContext(path, x -> {
      x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      x.sendResponseHeaders(200, html.length);
      x.getResponseBody().write(html);
      x.close();
    });
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (attacker != null) {
      attacker.stop(0);
    }
    gate.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void signedOut() {
    browser.open(console + "/healthz");
    browser.driver.manage().deleteAllCookies();
  }

  @AfterEach
  void forgetHeaders() {
    browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
  }

  /** Waits until the browser has left the other site for the console's origin (the form was submitted). */
  private static String landedOnConsole() {
    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(console)
        && "complete".equals(browser.script("return document.readyState")));
    return browser.driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
  }

  @Test
  void theApiNeverAsksTheBrowserForAPasswordItWouldKeep() {
    browser.open("http://head:" + Users.PASSWORD.replace(" ", "%20") + "@127.0.0.1:" + gate.admin().getPort() + "/api/blocks");
    browser.open(console + "/api/blocks");
    String page = browser.find("body").getText();
    assertTrue(page.contains("Please sign in"), "the browser kept and sent the Basic password: " + page);
  }

  @Test
  void aTextPlainFormFromAnotherSiteChangesNothingThoughTheBrowserSendsTheHeadsBasicPassword() throws Exception {
    // What a browser does once the head has answered a Basic prompt: it sends the password with every request to
    // the console's origin, a cross-site form's included. Chromium is told to do exactly that.
    String basic = "Basic " + Base64.getEncoder().encodeToString(("head:" + Users.PASSWORD).getBytes(StandardCharsets.UTF_8));
    browser.driver.executeCdpCommand("Network.enable", Map.of());
    browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", basic)));
    browser.open(evil + "/overrides");
    String answer = landedOnConsole();
    AdminClient.Reply overrides = gate.admin(VlanClient.STAFF, "head").get("/api/overrides");
    assertEquals(200, overrides.status());
    assertFalse(overrides.body().contains("csrf"), "the other site's form made an override: " + overrides.body() + " / " + answer);
    assertTrue(answer.contains("another website"), answer);
  }

  @Test
  void aSignInPostedByAnotherSiteDoesNotSwapTheHeadsSession() {
    browser.open(console + "/");
    browser.find("#username").sendKeys("head");
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
    browser.waitForPath("/");
    assertTrue(browser.find(".who").getText().startsWith("head"), browser.find(".who").getText());
    browser.open(evil + "/login");
    String answer = landedOnConsole();
    browser.open(console + "/");
    String who = browser.find(".who").getText();
    assertTrue(who.startsWith("head"), "the other site signed the browser in as someone else: " + who + " / " + answer);
    assertFalse(who.contains("mr.jones"), who);
  }
}
