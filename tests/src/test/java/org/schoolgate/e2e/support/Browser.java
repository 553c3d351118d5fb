package org.schoolgate.e2e.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium (Debian's {@code chromium}) driven through Debian's {@code chromium-driver}
 * with Selenium: nothing is downloaded (Selenium Manager is never asked, the driver and browser
 * are given by path). Headless, with a fresh profile, and it resolves no name itself: every
 * name goes to the proxy when one is set, everything else maps to nowhere
 * ({@code --host-resolver-rules}), so a test can never reach the internet.
 *
 * <p>When Chromium or its driver is missing the test is skipped with a sentence saying what to
 * install, except under CI ({@code CI=true}), where {@code .ci/run} installs both and a missing
 * browser is a failure.
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
  /** Where screenshots go: {@code tests/target/screenshots/}. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  public final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser with no proxy (the console). */
  public static Browser start() {
    return start(null, List.of());
  }

  /**
   * @param proxy      an explicit proxy ({@code 127.0.0.1:PORT}) for every request but loopback ones; null for none
   * @param extraFlags more Chromium switches (e.g. a certificate trust setting)
   */
  public static Browser start(String proxy, List<String> extraFlags) {
    return start(proxy, extraFlags, Map.of());
  }

  /** As {@link #start(String, List)}, with the browser's environment (e.g. a HOME whose NSS database trusts a CA). */
  public static Browser start(String proxy, List<String> extraFlags, Map<String, String> environment) {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI needs " + CHROMIUM + " and " + DRIVER + " (.ci/run installs chromium and chromium-driver)");
    }
    Assumptions.assumeTrue(present, "Chromium and its driver are not installed (apt-get install chromium chromium-driver): "
        + "the browser tests were skipped");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--metrics-recording-only", "--safebrowsing-disable-auto-update", "--password-store=basic",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
    if (proxy != null) {
      args.add("--proxy-server=http://" + proxy); // loopback (the console) is never sent to it: Chromium's default
    }
    args.addAll(extraFlags);
    options.addArguments(args);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withEnvironment(environment).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Browser(driver);
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits (with a deadline) until the page at a path whose document has finished loading. */
  public void waitForPath(String path) {
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
      String url = d.getCurrentUrl();
      return url != null && java.net.URI.create(url).getPath().equals(path)
          && "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState"));
    });
  }

  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Shows the page as a phone would: 390 CSS pixels wide. */
  public void phone() {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
  }

  public void desktop() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** The console messages of level WARNING and above since the last call (CSP violations are errors there). */
  public List<String> consoleProblems() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
        out.add(e.getLevel() + " " + e.getMessage());
      }
    }
    return out;
  }

  /** Saves what the browser shows now as {@code target/screenshots/NAME.png}. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A screenshot of the whole page, not only what fits in the window. */
  public Path fullScreenshot(String name) {
    Number height = (Number) script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
    Number width = (Number) script("return document.documentElement.clientWidth");
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width.intValue(),
        "height", Math.min(4000, height.intValue()), "deviceScaleFactor", 1, "mobile", false));
    try {
      return screenshot(name);
    } finally {
      desktop();
    }
  }

  public static File driverPath() {
    return DRIVER.toFile();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
