package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** A 375×812 phone: the room list is a drawer behind a toggle, and the composer stays usable. */
@Timeout(60)
class PhoneWidthTest {
  @RegisterExtension
  final Browsers browsers = new Browsers();

  private final TestServer server = TestServer.start(TestServer::unlimited);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aPhoneCanChatAndReachTheRoomsThroughTheToggle() {
    Browser phone = browsers.phone("phone").open(server);
    assertEquals(new Dimension(375, 812), phone.viewport(), "a phone-sized page");
    assertEquals(375L, phone.js("return document.documentElement.scrollWidth;"), "nothing wider than the screen");

    WebElement toggle = phone.byId("nav-toggle");
    WebElement input = phone.byId("composer-input");
    WebElement send = phone.byId("send");
    for (WebElement control : List.of(toggle, input, send)) {
      assertTrue(control.isDisplayed() && onScreen(phone, control), control.getAttribute("id") + " is on screen");
    }
    assertFalse(phone.byId("sidebar").isDisplayed(), "the room list is tucked away");

    try (WsClient friend = WsClient.json(server)) {
      String name = friend.await("hello").path("name").asText();
      friend.await("joined", friend.send("type", "join", "room", "general"));

      input.click();
      input.sendKeys("typed on a phone");
      send.click();
      friend.await(f -> "typed on a phone".equals(f.path("text").asText()));
      friend.send("type", "send", "room", "general", "text", "answered to the phone");
      phone.awaitMessage(name + ": answered to the phone");
      assertTrue(onScreen(phone, phone.driver().findElement(By.cssSelector("#messages li.msg:last-child"))),
          "the newest message is in view");
    }

    toggle.click();
    phone.waitUntil("the drawer is open", () -> drawerOpen(phone));
    assertEquals("true", toggle.getAttribute("aria-expanded"));
    WebElement join = phone.byId("join-input");
    join.click();
    join.sendKeys("pocket");
    join.sendKeys(Keys.ENTER);
    phone.waitUntil("joining closes the drawer and shows #pocket",
        () -> !phone.byId("sidebar").isDisplayed() && phone.text("room-title").equals("#pocket"));
    assertEquals("false", toggle.getAttribute("aria-expanded"));

    toggle.click();
    phone.waitUntil("the drawer is open again", () -> drawerOpen(phone));
    phone.driver().findElement(By.xpath("//ul[@id='room-list']//button[.//span[text()='#general']]")).click();
    phone.waitUntil("picking #general closes the drawer and shows it",
        () -> !phone.byId("sidebar").isDisplayed() && phone.text("room-title").equals("#general"));

    toggle.click();
    phone.waitUntil("the drawer is open once more", () -> drawerOpen(phone));
    phone.byId("nav-close").click();
    phone.waitUntil("the close button closes it", () -> !phone.byId("sidebar").isDisplayed());
    assertEquals("nav-toggle", phone.js("return document.activeElement.id;"), "focus goes back to the toggle");
  }

  private static boolean drawerOpen(Browser phone) {
    WebElement sidebar = phone.byId("sidebar");
    return sidebar.isDisplayed() && onScreen(phone, sidebar);
  }

  /** Whether an element lies wholly inside the viewport. */
  @SuppressWarnings("unchecked")
  private static boolean onScreen(Browser page, WebElement element) {
    Map<String, Number> r = (Map<String, Number>) page.js("const r = arguments[0].getBoundingClientRect();"
        + "return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: innerWidth, h: innerHeight};", element);
    return r.get("l").doubleValue() >= 0 && r.get("t").doubleValue() >= 0
        && r.get("r").doubleValue() <= r.get("w").doubleValue() + 0.5
        && r.get("b").doubleValue() <= r.get("h").doubleValue() + 0.5;
  }
}
