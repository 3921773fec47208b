package dev.parley.browser;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browsers of one test. Right after each test, pass or fail (before any {@code @AfterEach}
 * stops a server), it saves what they show, side by side, to
 * {@code target/screenshots/<TestClass>.<test>.png}; after the test it closes them.
 */
final class Browsers implements AfterTestExecutionCallback, AfterEachCallback {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final int GAP = 8;

  private final List<Browser> open = new ArrayList<>();

  Browser desktop(String label) {
    return desktop(label, 1100, 700);
  }

  Browser desktop(String label, int width, int height) {
    return keep(Browser.desktop(label, width, height));
  }

  /** Desktop windows started side by side (each start takes a while), in the order of their labels. */
  List<Browser> desktops(String... labels) {
    List<CompletableFuture<Browser>> starting = new ArrayList<>();
    for (String label : labels) {
      starting.add(CompletableFuture.supplyAsync(() -> Browser.desktop(label, 1100, 700)));
    }
    List<Browser> started = new ArrayList<>();
    Throwable failure = null;
    for (CompletableFuture<Browser> future : starting) {
      try {
        started.add(keep(future.join()));
      } catch (CompletionException e) {
        failure = e.getCause();
      }
    }
    // The ones that did start are closed after the test, like any other.
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return started;
  }

  Browser phone(String label) {
    return keep(Browser.phone(label));
  }

  private Browser keep(Browser browser) {
    open.add(browser);
    return browser;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws Exception {
    String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    if (!open.isEmpty()) {
      save(open, SCREENSHOTS.resolve(name + ".png"));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Browser browser : open) {
      try {
        browser.close();
      } catch (RuntimeException e) {
        // the browser is gone already; nothing to clean
      }
    }
    open.clear();
  }

  /** Saves what the browsers show, left to right in the order they were opened. */
  static void save(List<Browser> browsers, Path file) throws IOException {
    List<BufferedImage> shots = new ArrayList<>();
    for (Browser browser : browsers) {
      try {
        shots.add(ImageIO.read(new ByteArrayInputStream(browser.screenshot())));
      } catch (RuntimeException e) {
        // a browser that crashed has nothing to show; the test's own failure says why
      }
    }
    if (shots.isEmpty()) {
      return;
    }
    int width = shots.stream().mapToInt(BufferedImage::getWidth).sum() + GAP * (shots.size() - 1);
    int height = shots.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, width, height);
    int x = 0;
    for (BufferedImage shot : shots) {
      g.drawImage(shot, x, 0, null);
      x += shot.getWidth() + GAP;
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(sheet, "png", file.toFile());
  }
}
