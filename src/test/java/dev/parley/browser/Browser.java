package dev.parley.browser;

import dev.parley.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real, headless Chromium (Debian's {@code chromium}) driven through Debian's
 * {@code chromium-driver}, with a fresh profile: its own cookies, so its own Parley session.
 * It reads nothing from the environment: without {@code /usr/bin/chromedriver} it fails.
 */
public final class Browser implements AutoCloseable {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Duration WAIT = Duration.ofSeconds(10);

  private final String label;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(String label, ChromeDriver driver, Path profile) {
    this.label = label;
    this.driver = driver;
    this.profile = profile;
  }

  /** A desktop window whose page area (viewport) is {@code width}×{@code height} CSS pixels. */
  static Browser desktop(String label, int width, int height) {
    Browser browser = start(label, options -> options.addArguments("--window-size=" + width + "," + height));
    try {
      // The window size includes the browser's own frame: grow it by the difference.
      Dimension inner = browser.viewport();
      int dw = width - inner.getWidth();
      int dh = height - inner.getHeight();
      if (dw != 0 || dh != 0) {
        browser.driver.manage().window().setSize(new Dimension(width + dw, height + dh));
      }
      return browser;
    } catch (RuntimeException e) {
      browser.close();
      throw e;
    }
  }

  /** The page area's size in CSS pixels. */
  @SuppressWarnings("unchecked")
  Dimension viewport() {
    List<Long> inner = (List<Long>) js("return [window.innerWidth, window.innerHeight];");
    return new Dimension(inner.get(0).intValue(), inner.get(1).intValue());
  }

  /** A phone: a 375×812 CSS-pixel viewport, touch, a mobile user agent. */
  static Browser phone(String label) {
    return start(label, options -> options.setExperimentalOption("mobileEmulation", Map.of(
        "deviceMetrics", Map.of("width", 375, "height", 812, "pixelRatio", 2.0, "touch", true),
        "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/130.0 Mobile Safari/537.36")));
  }

  private static Browser start(String label, Consumer<ChromeOptions> adjust) {
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new AssertionError("The browser suite needs Debian's chromium and chromium-driver ("
          + CHROMIUM + " and " + CHROMEDRIVER + "); install them with "
          + "`apt-get install -y chromium chromium-driver` (.ci/run does).");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("parley-chromium-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--lang=en-US");
    adjust.accept(options);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    try {
      return new Browser(label, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
  }

  String label() {
    return label;
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Loads the page of a server and waits until it is online with a name. */
  Browser open(TestServer server) {
    return open(server.http("/"));
  }

  Browser open(String url) {
    driver.get(url);
    awaitOnline();
    return this;
  }

  void awaitOnline() {
    waitUntil("the page is online with a name",
        () -> "online".equals(connState()) && !name().isEmpty() && !"…".equals(name()));
  }

  /** Waits for a condition the page reaches by itself; fails with {@code what} after 10 s. */
  void waitUntil(String what, Supplier<Boolean> condition) {
    try {
      new WebDriverWait(driver, WAIT, Duration.ofMillis(25)).until(d -> condition.get());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(label + ": not within " + WAIT.toSeconds() + " s: " + what
          + "\n  connection: " + connState() + ", room: " + text("room-title") + ", messages: " + messageTexts());
    }
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  String text(String id) {
    Object text = js("const el = document.getElementById(arguments[0]); return el ? el.textContent : null;", id);
    return text == null ? "" : text.toString().trim();
  }

  /** The name the page shows for its user. */
  String name() {
    return text("me-name");
  }

  String connState() {
    Object state = js("return document.querySelector('.conn')?.dataset.state ?? null;");
    return state == null ? "" : state.toString();
  }

  /** The texts of the messages of the active room, in order, pending ones included. */
  @SuppressWarnings("unchecked")
  List<String> messageTexts() {
    return (List<String>) js("return [...document.querySelectorAll('#messages li.msg .text')]"
        + ".map(e => e.textContent);");
  }

  /** Sender and text of every confirmed message (not pending), in order. */
  @SuppressWarnings("unchecked")
  List<String> confirmed() {
    return (List<String>) js("return [...document.querySelectorAll('#messages li.msg:not(.pending):not(.failed)')]"
        + ".map(e => e.querySelector('.from').textContent + ': ' + e.querySelector('.text').textContent);");
  }

  /** The local lines (notes) of the active room. */
  @SuppressWarnings("unchecked")
  List<String> notes() {
    return (List<String>) js("return [...document.querySelectorAll('#messages li.note')].map(e => e.textContent);");
  }

  /** Types into the composer the way a user does (key events), without sending. */
  void type(String text) {
    WebElement input = byId("composer-input");
    input.sendKeys(text);
  }

  /** Types a line into the composer and presses Enter. */
  void say(String text) {
    WebElement input = byId("composer-input");
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  /** Waits until the active room shows a confirmed message {@code "from: text"}. */
  void awaitMessage(String fromAndText) {
    waitUntil("the message \"" + fromAndText + "\" is shown", () -> confirmed().contains(fromAndText));
  }

  byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary profile left behind is harmless
    }
  }
}
