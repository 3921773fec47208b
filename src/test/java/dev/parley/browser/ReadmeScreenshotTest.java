package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The picture in the README: two people chatting, as one of them sees it at desktop width. It is
 * saved to {@code target/screenshots/readme.png}; run with {@code -Dparley.readme.screenshot=update}
 * to also replace {@code docs/screenshot.png} (a plain test run leaves the repository alone).
 */
@Timeout(60)
class ReadmeScreenshotTest {
  private static final Path README_SHOT = Path.of("docs", "screenshot.png");

  @RegisterExtension
  final Browsers browsers = new Browsers();

  private final TestServer server = TestServer.start(TestServer::unlimited);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void twoPeopleChattingAtDesktopWidth() throws Exception {
    List<Browser> two = browsers.desktops("alice", "bob"); // 1100×700, as the README has always shown
    Browser alice = two.get(0).open(server);
    Browser bob = two.get(1).open(server);
    alice.say("/nick alice");
    alice.waitUntil("alice is alice", () -> alice.name().equals("alice"));
    alice.say("/join release");
    alice.waitUntil("alice is in #release", () -> alice.text("member-list").contains("alice"));
    alice.say("/join general");
    bob.say("/nick bob");
    bob.waitUntil("bob is bob", () -> bob.name().equals("bob"));

    alice.say("Morning bob! Is the release notes draft ready?");
    bob.awaitMessage("alice: Morning bob! Is the release notes draft ready?");
    bob.say("Almost: one section left. I'll post it in #release when it's done.");
    alice.awaitMessage("bob: Almost: one section left. I'll post it in #release when it's done.");
    alice.say("Great, thanks! (And yes, <b>markup</b> shows as typed.)");
    bob.awaitMessage("alice: Great, thanks! (And yes, <b>markup</b> shows as typed.)");
    bob.say("/join release");
    bob.say("Draft is up: docs/release-notes.md");
    alice.waitUntil("#release has one unread message", () -> Boolean.TRUE.equals(alice.js(
        "return [...document.querySelectorAll('#room-list .badge')]"
            + ".some(b => !b.hidden && b.textContent === '1 unread');")));
    alice.waitUntil("the rename toast is gone",
        () -> alice.driver().findElements(By.cssSelector("#toasts .toast")).isEmpty());
    alice.js("document.activeElement?.blur();");
    assertEquals(List.of("alice", "bob"), alice.js(
        "return [...document.querySelectorAll('#member-list li > span:first-child')].map(e => e.textContent);"),
        "both are listed");

    Path shot = Browsers.SCREENSHOTS.resolve("readme.png");
    Browsers.save(List.of(alice), shot);
    if ("update".equals(System.getProperty("parley.readme.screenshot"))) {
      Files.copy(shot, README_SHOT, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
