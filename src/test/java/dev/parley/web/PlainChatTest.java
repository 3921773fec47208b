package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tutorial's plain-text chat on {@code /chat}, and how it shares {@code general} with {@code /ws}. */
@Timeout(60)
class PlainChatTest extends ServerPerTest {
  PlainChatTest() {
    super(TestServer::unlimited);
  }

  /** Asks for /who until every expected socket is listed: sockets connect asynchronously. */
  private static String whoUntil(WsClient client, int count) {
    while (true) {
      client.sendText("/who");
      String who = client.awaitText(line -> !line.contains(" said: "));
      if (who.split(", ").length >= count) {
        return who;
      }
    }
  }

  @Test
  void everyChatSocketReceivesEachMessageAsNameSaidTextTheSendersIncluded() {
    try (WsClient a = WsClient.plain(server); WsClient b = WsClient.plain(server); WsClient c = WsClient.plain(server)) {
      whoUntil(a, 3);
      b.sendText("hello everyone");
      String line = b.nextText();
      assertTrue(line.matches("user\\d+ said: hello everyone"), line);
      assertEquals(line, a.nextText());
      assertEquals(line, c.nextText());
    }
  }

  @Test
  void aNewChatSocketIsSentNothingUntilAMessageArrives() {
    try (WsClient a = WsClient.plain(server)) {
      a.sendText("first");
      assertTrue(a.nextText().endsWith(" said: first"), "the sender's own line is the first frame");
    }
  }

  @Test
  void whoListsTheNamesInGeneralCommaSeparatedAndSorted() {
    try (WsClient a = WsClient.plain(server); WsClient b = WsClient.plain(server)) {
      a.sendText("/nick zed");
      assertEquals("you are now zed", a.nextText());
      b.sendText("/nick Amy");
      assertEquals("you are now Amy", b.nextText());
      assertEquals("Amy, zed", whoUntil(a, 2));
    }
  }

  @Test
  void nickAndItsAliasUserRenameTheSender() {
    try (WsClient a = WsClient.plain(server); WsClient b = WsClient.plain(server)) {
      a.sendText("/nick alice");
      assertEquals("you are now alice", a.nextText());
      a.sendText("/user Alice2");
      assertEquals("you are now Alice2", a.nextText());
      a.sendText("hi");
      assertEquals("Alice2 said: hi", b.nextText());
    }
  }

  @Test
  void refusedAndUnknownCommandsAreAnsweredWithAnErrorLineToTheSenderAlone() {
    try (WsClient a = WsClient.plain(server); WsClient b = WsClient.plain(server)) {
      a.sendText("/nick bob");
      a.nextText();
      b.sendText("/nick BOB");
      assertTrue(b.nextText().startsWith("error: name_taken: "));
      b.sendText("/nick user7");
      assertTrue(b.nextText().startsWith("error: invalid_name: "));
      b.sendText("/dance");
      assertTrue(b.nextText().startsWith("error: bad_request: "));
      b.sendText("   ");
      assertTrue(b.nextText().startsWith("error: empty: "));
      b.sendText("x".repeat(4001));
      assertTrue(b.nextText().startsWith("error: too_long: "));
      b.sendText("after the errors");
      assertTrue(a.nextText().endsWith(" said: after the errors"), "a saw none of b's errors");
    }
  }

  @Test
  void helpAnswersOneLinePerCommand() {
    try (WsClient a = WsClient.plain(server)) {
      a.sendText("/help");
      List<String> lines = List.of(a.nextText().split("\n"));
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("/who")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("/nick")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("/help")), lines.toString());
    }
  }

  @Test
  void everyLineBreakOfADeliveredTextIsFollowedByTwoSpaces() {
    try (WsClient a = WsClient.plain(server)) {
      a.sendText("/nick eve");
      a.nextText();
      a.sendText("one\ntwo\r\nthree\rfour");
      assertEquals("eve said: one\n  two\r\n  three\r  four", a.nextText());
    }
  }

  @Test
  void chatAndWsShareTheGeneralRoom() {
    try (WsClient plain = WsClient.plain(server); WsClient json = WsClient.json(server)) {
      String name = json.await("hello").get("name").asText();
      plain.sendText("/nick tutorial");
      plain.nextText();
      String ref = json.send("type", "join", "room", "general");
      JsonNode joined = json.await("joined", ref);
      assertTrue(joined.get("members").toString().contains("tutorial"), joined.toString());

      plain.sendText("from the tutorial");
      JsonNode message = json.await("message");
      assertEquals("tutorial", message.get("from").asText());
      assertEquals("from the tutorial", message.get("text").asText());
      assertEquals("general", message.get("room").asText());

      json.send("type", "send", "room", "general", "text", "from json");
      assertEquals("tutorial said: from the tutorial", plain.nextText());
      assertEquals(name + " said: from json", plain.nextText());
    }
  }

  @Test
  void chatSocketsAppearAsPresenceEventsAndReceiveNoJsonEvents() {
    try (WsClient json = WsClient.json(server)) {
      String ref = json.send("type", "join", "room", "general");
      json.await("joined", ref);
      try (WsClient plain = WsClient.plain(server)) {
        JsonNode joined = json.await("presence");
        assertEquals("join", joined.get("event").asText());
        String name = joined.get("name").asText();
        json.send("type", "typing", "room", "general");
        json.send("type", "nick", "name", "jsonuser");
        json.send("type", "send", "room", "general", "text", "ping");
        assertEquals("jsonuser said: ping", plain.nextText(), "no typing or nick line reached /chat before it");
        assertNull(plain.pollText());
        plain.close();
        JsonNode left = json.await("presence");
        assertEquals("leave", left.get("event").asText());
        assertEquals(name, left.get("name").asText());
      }
    }
  }
}
