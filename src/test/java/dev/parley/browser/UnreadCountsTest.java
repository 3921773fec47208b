package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Unread badges per room, and the count in the tab's title, as the user moves between rooms. */
@Timeout(60)
class UnreadCountsTest {
  @RegisterExtension
  final Browsers browsers = new Browsers();

  private final TestServer server = TestServer.start(TestServer::unlimited);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void switchingRoomsKeepsTheUnreadCountsRight() {
    Browser page = browsers.desktop("page").open(server);
    String me = page.name();
    WebElement join = page.byId("join-input");
    join.sendKeys("side");
    join.sendKeys(Keys.ENTER);
    page.waitUntil("the page is in #side", () -> page.text("room-title").equals("#side")
        && page.text("member-list").contains(me));
    roomButton(page, "general").click();
    page.waitUntil("the page is back in #general", () -> page.text("room-title").equals("#general"));

    try (WsClient bob = WsClient.json(server)) {
      String name = bob.await("hello").path("name").asText();
      bob.await("joined", bob.send("type", "join", "room", "side"));
      bob.await("joined", bob.send("type", "join", "room", "general"));
      say(bob, "side", "side one");
      say(bob, "side", "side two");
      say(bob, "general", "general one");

      // Sent last on the same socket: when it shows, the two before it have arrived too.
      page.awaitMessage(name + ": general one");
      assertEquals("2 unread", badge(page, "side"), "two unread in the room not shown");
      assertEquals("", badge(page, "general"), "nothing unread in the room shown");
      assertEquals("(2) #general · Parley", page.driver().getTitle());

      roomButton(page, "side").click();
      page.waitUntil("#side shows its messages",
          () -> page.confirmed().equals(java.util.List.of(name + ": side one", name + ": side two")));
      assertEquals("", badge(page, "side"), "read once shown");
      assertEquals("", badge(page, "general"));
      assertEquals("#side · Parley", page.driver().getTitle());

      page.say("my own words are never unread");
      page.awaitMessage(me + ": my own words are never unread");
      say(bob, "general", "general two");
      say(bob, "side", "side three");
      page.awaitMessage(name + ": side three");
      assertEquals("1 unread", badge(page, "general"), "only what came after leaving #general");
      assertEquals("", badge(page, "side"));
      assertEquals("(1) #side · Parley", page.driver().getTitle());

      roomButton(page, "general").click();
      page.waitUntil("#general shows its new message", () -> page.confirmed().contains(name + ": general two"));
      assertEquals("", badge(page, "general"));
      assertEquals("", badge(page, "side"));
      assertEquals("#general · Parley", page.driver().getTitle());
    }
  }

  private static void say(WsClient client, String room, String text) {
    client.await("ack", client.send("type", "send", "room", room, "text", text));
  }

  private static WebElement roomButton(Browser page, String room) {
    return page.driver().findElement(By.xpath(
        "//ul[@id='room-list']//button[contains(@class,'room-button')][.//span[@class='room-name' and text()='#"
            + room + "']]"));
  }

  /** What a room's badge says (its text, screen-reader words included), or "" when it is hidden. */
  private static String badge(Browser page, String room) {
    WebElement badge = roomButton(page, room).findElement(By.className("badge"));
    Object text = page.js("return arguments[0].hidden ? '' : arguments[0].textContent;", badge);
    return String.valueOf(text);
  }
}
