package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.Browser;
import org.schoolgate.e2e.support.ListPublisher;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * The console's "Category lists" page in a real Chromium (SPEC section 13): each list's state in
 * words, its publisher and licence, what went wrong, the sites it adds per category, and the
 * "Update now" button; staff cannot see it; no sideways scroll at 390 px.
 */
class ListsPageBrowserTest {
  @TempDir
  static Path dir;
  static ListPublisher publisher;
  static ProxyHarness gate;
  static Browser browser;
  static String console;

  @BeforeAll
  static void start() throws Exception {
    publisher = new ListPublisher("/blacklists.tar.gz");
    publisher.publish(ListPublisher.ut1(java.util.Map.of("gambling", List.of("casino-one.test", "casino-two.test"),
        "vpn", List.of("vpn-one.test"))), "\"v1\"");
    gate = new ProxyHarness(dir, 80, 443, y -> y
        .replace("  staff: [127.0.20.0/24]", "  staff: [127.0.20.0/24, 127.0.0.1/32]")
        + """
        lists:
          subscriptions:
            - name: ut1
              url: http://lists.publisher.test:%d/blacklists.tar.gz
              format: ut1
              map: {gambling: circumvention, vpn: circumvention}
              licence: "CC BY-SA 4.0, Universite Toulouse Capitole"
            - name: extra-list-with-a-long-name-for-phones
              url: http://lists.publisher.test:%d/a/very/long/path/that/could/push/a/narrow/page/sideways/extra.txt
              format: domains
              category: circumvention
              enabled: false
        """.formatted(publisher.port(), publisher.port()),
        org.schoolgate.Schoolgate.Options.HELLO_TIMEOUT, config -> {
          Files.writeString(config.resolveSibling("hosts"), "127.0.0.1 lists.publisher.test\n", StandardOpenOption.APPEND);
          Users.add(config, "head", "head");
          Users.add(config, "mr.jones", "staff");
        });
    console = "http://127.0.0.1:" + gate.admin().getPort();
    browser = Browser.start("127.0.0.1:" + gate.proxy().getPort(), List.of());
    Await.until("the first copy", () -> gate.server.subscriptions().statuses().get(0).hasCopy());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    gate.close();
    publisher.close();
  }

  private static void signIn(String user) {
    browser.open(console + "/");
    browser.find("#username").sendKeys(user);
    browser.find("#password").sendKeys(Users.PASSWORD);
    browser.find("button[type=submit]").click();
    browser.waitForPath("/");
  }

  private static void signOut() {
    browser.find("form.signout button").click();
    browser.waitForPath("/");
  }

  @Test
  void theHeadSeesEachListInWordsAndUpdatesOneNow() {
    signIn("head");
    // Selenium takes a link in a <details> without "open" for hidden; the menu is shown open on a wide screen by CSS
    browser.script("arguments[0].click()", browser.find("header nav a[href='/lists']"));
    browser.waitForPath("/lists");
    assertEquals("Category lists", browser.find("h1").getText());
    String ut1 = browser.find("#list-ut1").findElement(org.openqa.selenium.By.xpath("..")).getText();
    assertTrue(ut1.contains("In use and up to date"), ut1);
    assertTrue(ut1.contains("lists.publisher.test"), "the publisher: " + ut1);
    assertTrue(ut1.contains("CC BY-SA 4.0, Universite Toulouse Capitole"), "the licence: " + ut1);
    assertTrue(ut1.contains(": 3 sites"), "sites per category: " + ut1);
    assertTrue(ut1.contains("GMT") || ut1.contains("2026"), "times in words: " + ut1);
    String off = browser.all("section.card").get(1).getText();
    assertTrue(off.contains("Turned off"), off);
    assertEquals(1, browser.all("form[action='/lists/ut1/update'] button").size(), "a button for the list that is on only");
    assertEquals(List.of(), browser.consoleProblems(), "console errors or CSP violations");
    @SuppressWarnings("unchecked")
    List<String> lowContrast = (List<String>) browser.script(Contrast.SCRIPT);
    assertEquals(List.of(), lowContrast);
    browser.fullScreenshot("console-lists");

    publisher.fail(500);
    browser.find("form[action='/lists/ut1/update'] button").click();
    browser.waitForPath("/lists");
    assertTrue(browser.find(".flash").getText().contains("is being downloaded now"), browser.find(".flash").getText());
    Await.until("the refusal is shown", () -> {
      browser.open(console + "/lists");
      return browser.find("main").getText().contains("the publisher answered 500");
    });
    String after = browser.find("main").getText();
    assertTrue(after.contains("the last good copy stays in force"), after);
    assertTrue(after.contains(": 3 sites"), "the copy in force is unchanged: " + after);

    browser.phone();
    try {
      Number overflow = (Number) browser.script(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertEquals(0, overflow.intValue(), "/lists scrolls sideways at 390 px");
      browser.screenshot("phone-lists");
    } finally {
      browser.desktop();
    }
    signOut();

    signIn("mr.jones");
    browser.open(console + "/lists");
    assertTrue(browser.find("main").getText().contains("for the headteacher and the network manager"));
    assertTrue(browser.all("form[action='/lists/ut1/update']").isEmpty());
    browser.consoleProblems(); // the 403 is logged by the browser
    signOut();
  }
}
