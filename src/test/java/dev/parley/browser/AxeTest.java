package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** axe-core finds no serious or critical accessibility problem, in the states a user sees most. */
@Timeout(60)
class AxeTest {
  private static final Set<String> BLOCKING = Set.of("serious", "critical");

  @RegisterExtension
  final Browsers browsers = new Browsers();

  private final TestServer server = TestServer.start(TestServer::unlimited);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aConversationAtDesktopWidthHasNoSeriousViolations() {
    Browser page = browsers.desktop("light");
    try (WsClient friend = busyPage(page)) {
      assertNoSeriousViolations(page);
    }

    // The checker itself works: a button without a name, planted for the purpose, is reported.
    page.js("const b = document.createElement('button'); b.id = 'planted'; document.body.append(b);");
    assertTrue(Axe.run(page).stream().anyMatch(v -> v.id().equals("button-name") && BLOCKING.contains(v.impact())
        && v.targets().toString().contains("planted")), "axe reports a planted unnamed button");
  }

  @Test
  void theDarkThemeHasNoSeriousViolations() {
    Browser page = browsers.desktop("dark");
    page.driver().executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try (WsClient friend = busyPage(page)) {
      assertEquals(Boolean.TRUE, page.js("return matchMedia('(prefers-color-scheme: dark)').matches;"));
      assertNoSeriousViolations(page);
    }
  }

  @Test
  void aPhoneWithTheRoomListOpenHasNoSeriousViolations() {
    Browser phone = browsers.phone("phone");
    try (WsClient friend = busyPage(phone)) {
      phone.byId("nav-toggle").click();
      phone.waitUntil("the drawer is open", () -> phone.byId("nav-close").isDisplayed());
      assertNoSeriousViolations(phone);
    }
  }

  /**
   * A page with what a real session shows: two rooms, an unread badge, messages from others and
   * from the user, a local note, someone typing. The one typing stays until the caller closes them.
   */
  private WsClient busyPage(Browser page) {
    page.open(server);
    String me = page.name();
    page.say("/join side");
    page.waitUntil("in #side", () -> page.text("room-title").equals("#side") && page.text("member-list").contains(me));
    page.say("/join general");
    page.waitUntil("back in #general", () -> page.text("room-title").equals("#general"));
    WsClient friend = WsClient.json(server);
    try {
      String name = friend.await("hello").path("name").asText();
      friend.await("joined", friend.send("type", "join", "room", "side"));
      friend.await("joined", friend.send("type", "join", "room", "general"));
      friend.send("type", "send", "room", "side", "text", "unread over there");
      friend.send("type", "send", "room", "general", "text", "hello, anyone here?");
      page.awaitMessage(name + ": hello, anyone here?");
      page.say("yes, me");
      page.awaitMessage(me + ": yes, me");
      page.say("/who");
      page.waitUntil("the /who note", () -> page.notes().stream().anyMatch(n -> n.startsWith("In #general")));
      friend.send("type", "typing", "room", "general");
      page.waitUntil("someone is typing", () -> page.text("typing").endsWith("is typing…"));
      page.waitUntil("#side has an unread badge",
          () -> Boolean.TRUE.equals(page.js("return [...document.querySelectorAll('.badge')].some(b => !b.hidden);")));
      return friend;
    } catch (RuntimeException | Error e) {
      friend.close();
      throw e;
    }
  }

  /** Fails on a serious or critical violation; every finding is written to target/axe/<label>.txt. */
  private static void assertNoSeriousViolations(Browser page) {
    List<Axe.Violation> all = Axe.run(page);
    try {
      Files.writeString(Path.of("target", "axe", page.label() + ".txt"),
          all.stream().map(Axe.Violation::toString).collect(Collectors.joining("\n", "", "\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(Boolean.TRUE, page.js("return /is typing/.test(document.getElementById('typing').textContent);"),
        "checked while someone is typing");
    List<Axe.Violation> blocking = all.stream().filter(v -> BLOCKING.contains(v.impact())).toList();
    assertEquals(List.of(), blocking, page.label() + ": axe-core " + Axe.VERSION + " found serious or critical "
        + "violations");
  }
}
