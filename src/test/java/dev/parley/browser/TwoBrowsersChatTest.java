package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two people, each in their own headless Chromium with their own session, in #general. */
@Timeout(60)
class TwoBrowsersChatTest {
  @RegisterExtension
  final Browsers browsers = new Browsers();

  private TestServer server;
  private Browser alice;
  private Browser bob;

  @BeforeEach
  void twoPeopleOnThePage() {
    server = TestServer.start(TestServer::unlimited);
    List<Browser> two = browsers.desktops("alice", "bob");
    alice = two.get(0).open(server);
    bob = two.get(1).open(server);
    assertFalse(alice.name().equalsIgnoreCase(bob.name()), "two sessions, two names");
    alice.waitUntil("bob is listed", () -> alice.text("member-list").contains(bob.name()));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void messagesTravelBothWaysInRealTime() {
    String a = alice.name();
    String b = bob.name();

    alice.say("hello from alice");
    bob.awaitMessage(a + ": hello from alice");
    bob.say("hi alice, bob here");
    alice.awaitMessage(b + ": hi alice, bob here");
    alice.say("a second line");
    bob.awaitMessage(a + ": a second line");

    List<String> expected = List.of(a + ": hello from alice", b + ": hi alice, bob here", a + ": a second line");
    alice.waitUntil("alice's own last message is confirmed", () -> alice.confirmed().equals(expected));
    assertEquals(expected, bob.confirmed(), "both pages show the same conversation, in order");
    assertEquals("", alice.byId("composer-input").getAttribute("value"), "Enter empties the composer");
  }

  @Test
  void aNickChangeIsSeenOnBothSides() {
    String before = alice.name();

    alice.say("/nick Alice_W");

    alice.waitUntil("alice's page calls her Alice_W", () -> alice.name().equals("Alice_W"));
    bob.waitUntil("bob's member list has Alice_W instead of " + before, () -> {
      String members = bob.text("member-list");
      return members.contains("Alice_W") && !members.contains(before);
    });
    bob.waitUntil("bob is told of the rename",
        () -> bob.notes().contains(before + " is now known as Alice_W."));
    alice.waitUntil("alice's member list marks Alice_W as her",
        () -> alice.text("member-list").contains("Alice_W (you)"));

    alice.say("signed with my new name");
    bob.awaitMessage("Alice_W: signed with my new name");
  }

  @Test
  void theOtherSideSeesWhoIsTyping() {
    String a = alice.name();
    assertEquals("", bob.text("typing"), "nobody types yet");

    alice.type("I am writing someth");

    bob.waitUntil("bob sees that alice is typing", () -> bob.text("typing").equals(a + " is typing…"));
    assertEquals("", alice.text("typing"), "alice is not shown her own typing");

    alice.say("ing long");
    bob.awaitMessage(a + ": I am writing something long");
    bob.waitUntil("the indicator goes once the message arrives", () -> bob.text("typing").isEmpty());
  }

  @Test
  void typingTheNextMessageRightAfterSendingIsShownToo() {
    String a = alice.name();
    alice.type("first");
    bob.waitUntil("bob sees alice typing", () -> bob.text("typing").equals(a + " is typing…"));
    alice.byId("composer-input").sendKeys(org.openqa.selenium.Keys.ENTER);
    bob.awaitMessage(a + ": first");
    bob.waitUntil("the indicator goes with the message", () -> bob.text("typing").isEmpty());

    alice.type("and a second thought");

    bob.waitUntil("bob sees alice typing again", () -> bob.text("typing").equals(a + " is typing…"));
  }

  @Test
  void markupInAMessageIsShownAsTextAndRunsNothing() {
    String a = alice.name();
    String script = "<script>window.__pwned=1</script>";
    String image = "<img src=x onerror=\"window.__pwned=1\">";

    alice.say(script);
    alice.say("look: " + image + " and " + script);

    bob.awaitMessage(a + ": " + script);
    bob.awaitMessage(a + ": look: " + image + " and " + script);
    alice.awaitMessage(a + ": look: " + image + " and " + script);
    for (Browser page : List.of(alice, bob)) {
      assertNull(page.js("return window.__pwned;"), page.label() + ": no script ran");
      assertEquals(0L, page.js("return document.querySelectorAll('#messages script, #messages img').length;"),
          page.label() + ": the markup made no elements");
      String shown = page.byId("messages").getText();
      assertTrue(shown.contains(script) && shown.contains(image), page.label() + " shows the text as typed: " + shown);
    }

    // The same text from history, as a page that loads later gets it.
    bob.driver().navigate().refresh();
    bob.awaitOnline();
    bob.awaitMessage(a + ": look: " + image + " and " + script);
    assertNull(bob.js("return window.__pwned;"), "no script ran from history either");
    assertEquals(0L, bob.js("return document.querySelectorAll('#messages script, #messages img').length;"));
  }
}
