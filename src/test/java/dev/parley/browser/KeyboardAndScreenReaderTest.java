package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The page with the keyboard alone, and what assistive technology is told. */
@Timeout(60)
class KeyboardAndScreenReaderTest {
  /** Every element a user can operate or focus. */
  static final String CONTROLS = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1']),"
      + " [role=button], [role=link], [contenteditable='true']";

  @RegisterExtension
  final Browsers browsers = new Browsers();

  private final TestServer server = TestServer.start(TestServer::unlimited);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void tabReachesTheComposerAndEnterSends() {
    Browser page = browsers.desktop("page").open(server);
    String me = page.name();
    Actions keys = new Actions(page.driver());

    List<String> path = new ArrayList<>();
    for (int i = 0; i < 20 && !"composer-input".equals(focusedId(page)); i++) {
      keys.sendKeys(Keys.TAB).perform();
      WebElement focused = page.driver().switchTo().activeElement();
      assertTrue(focused.isDisplayed(), "Tab stops only on visible controls, not on " + describe(focused));
      String name = focused.getAccessibleName();
      assertFalse(name == null || name.isBlank(), "a Tab stop without a name: " + describe(focused));
      path.add(name);
    }
    assertEquals("composer-input", focusedId(page), "Tab reaches the message box; stops on the way: " + path);
    assertEquals("Skip to message box", path.get(0), "the first Tab stop skips to the message box");

    keys.sendKeys("typed without a mouse").keyDown(Keys.SHIFT).sendKeys(Keys.ENTER).keyUp(Keys.SHIFT)
        .sendKeys("on two lines").perform();
    assertEquals("typed without a mouse\non two lines", page.byId("composer-input").getAttribute("value"),
        "Shift+Enter adds a line");
    keys.sendKeys(Keys.ENTER).perform();

    page.awaitMessage(me + ": typed without a mouse\non two lines");
    assertEquals("", page.byId("composer-input").getAttribute("value"), "Enter sent it and emptied the box");
    assertEquals("composer-input", focusedId(page), "focus stays in the box for the next message");
  }

  @Test
  void theSkipLinkTakesTheKeyboardStraightToTheComposer() {
    Browser page = browsers.desktop("page").open(server);
    String me = page.name();
    Actions keys = new Actions(page.driver());

    keys.sendKeys(Keys.TAB).perform();
    assertEquals("Skip to message box", page.driver().switchTo().activeElement().getAccessibleName());
    assertTrue(page.driver().switchTo().activeElement().isDisplayed(), "the skip link shows when focused");
    keys.sendKeys(Keys.ENTER).perform();
    page.waitUntil("the message box has focus", () -> "composer-input".equals(focusedId(page)));

    keys.sendKeys("/join quiet").sendKeys(Keys.ENTER).perform();
    page.waitUntil("a room joined with the keyboard", () -> page.text("room-title").equals("#quiet"));
    keys.sendKeys("in the quiet room").sendKeys(Keys.ENTER).perform();
    page.awaitMessage(me + ": in the quiet room");
  }

  @Test
  void everyControlHasAnAccessibleName() {
    Browser page = browsers.desktop("page").open(server);
    page.say("/join second");
    page.waitUntil("two rooms listed", () -> page.driver().findElements(By.cssSelector("#room-list li")).size() == 2);
    page.say("something to show");
    page.awaitMessage(page.name() + ": something to show");
    assertNamed(page);

    Browser phone = browsers.phone("phone").open(server);
    phone.byId("nav-toggle").click();
    phone.waitUntil("the drawer is open", () -> phone.byId("nav-close").isDisplayed());
    assertNamed(phone);

    // The check itself works: an icon button without a name, planted for the purpose, is caught.
    page.js("const b = document.createElement('button'); b.id = 'planted';"
        + "b.innerHTML = '<span aria-hidden=\"true\">×</span>'; document.body.prepend(b);");
    assertTrue(unnamed(page).stream().anyMatch(c -> c.contains("planted")), "a planted unnamed button is caught");
  }

  @Test
  void newMessagesAreAnnouncedThroughALiveRegion() {
    Browser page = browsers.desktop("page").open(server);
    try (WsClient friend = WsClient.json(server)) {
      String name = friend.await("hello").path("name").asText();
      friend.await("joined", friend.send("type", "join", "room", "general"));
      friend.send("type", "send", "room", "general", "text", "did you hear me?");

      page.awaitMessage(name + ": did you hear me?");
      page.waitUntil("a live region reads the message out", () -> liveText(page).contains("did you hear me?"));
      assertTrue(liveText(page).contains(name), "the announcement names who wrote: " + liveText(page));

      friend.send("type", "send", "room", "general", "text", "and a second time");
      page.waitUntil("the next one is read out too", () -> liveText(page).contains("and a second time"));
    }
    assertEquals(List.of(), page.js("return [...document.querySelectorAll('[aria-live]')]"
        + ".filter(e => e.closest('[aria-hidden=true]')).map(e => e.id);"), "no live region is hidden from readers");
    assertFalse((Boolean) page.js("return !!document.getElementById('messages').closest('[aria-live]');"),
        "the message list itself is not live (it would read everything again)");
  }

  private static String focusedId(Browser page) {
    return String.valueOf(page.js("return document.activeElement?.id ?? '';"));
  }

  /** The text of every polite or assertive live region. */
  private static String liveText(Browser page) {
    return String.valueOf(page.js("return [...document.querySelectorAll('[aria-live]')]"
        + ".filter(e => e.getAttribute('aria-live') !== 'off').map(e => e.textContent).join(' | ');"));
  }

  /** Every control the page shows has a name (as the browser computes it for assistive technology). */
  private static void assertNamed(Browser page) {
    assertEquals(List.of(), unnamed(page), page.label() + ": controls without an accessible name");
  }

  private static List<String> unnamed(Browser page) {
    @SuppressWarnings("unchecked")
    List<WebElement> shown = (List<WebElement>) page.js("return [...document.querySelectorAll(arguments[0])]"
        + ".filter(e => e.checkVisibility({visibilityProperty: true}));", CONTROLS);
    List<String> unnamed = new ArrayList<>();
    for (WebElement control : shown) {
      String name = control.getAccessibleName();
      if (name == null || name.isBlank()) {
        unnamed.add(describe(control));
      }
    }
    assertTrue(shown.size() >= 8, page.label() + ": the controls were found (" + shown.size() + ")");
    return unnamed;
  }

  private static String describe(WebElement element) {
    String html = element.getAttribute("outerHTML");
    return html.length() > 160 ? html.substring(0, 160) + "…" : html;
  }
}
