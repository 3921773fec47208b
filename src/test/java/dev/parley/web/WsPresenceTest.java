package dev.parley.web;

import static dev.parley.testing.WsSteps.hello;
import static dev.parley.testing.WsSteps.join;
import static dev.parley.testing.WsSteps.joinAll;
import static dev.parley.testing.WsSteps.names;
import static dev.parley.testing.WsSteps.sessionCookie;
import static dev.parley.testing.WsSteps.tab;
import static dev.parley.testing.WsSteps.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.Probe;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence and sessions: several tabs of one browser session are one user (one name, one
 * member, one join and one leave); a forged cookie is never adopted.
 */
@Timeout(60)
class WsPresenceTest extends ServerPerTest {
  WsPresenceTest() {
    super(TestServer::unlimited);
  }

  // ---------------------------------------------------------------- helpers

  /** Asks who is in a room; returns every frame received before the answer, then the answer. */
  private static List<JsonNode> who(WsClient client, String room) {
    return until(client, "members", client.send("type", "who", "room", room));
  }

  private static List<JsonNode> ofType(List<JsonNode> frames, String type) {
    return frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
  }

  private static long occurrences(List<String> names, String name) {
    return names.stream().filter(name::equals).count();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void twoTabsOfOneSessionAreOneMemberWithOneJoinAndOneLeave() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient observer = WsClient.json(server); WsClient tab1 = tab(server, cookie); WsClient tab2 = tab(server, cookie)) {
      String observerName = hello(observer);
      String name = hello(tab1);
      assertEquals(name, hello(tab2), "both tabs of one session have the same name");
      assertTrue(name.matches("user[0-9]+"), name);
      join(observer, "lobby");

      join(tab1, "lobby");
      JsonNode arrived = observer.await("presence");
      assertEquals("lobby", arrived.path("room").asText());
      assertEquals(name, arrived.path("name").asText());
      assertEquals("join", arrived.path("event").asText());

      JsonNode second = join(tab2, "lobby");
      assertEquals(1, occurrences(names(second.path("members")), name), "one member per user: " + second);
      List<JsonNode> seen = who(observer, "lobby");
      assertEquals(List.of(), ofType(seen.subList(0, seen.size() - 1), "presence"), "a second tab is no new join");
      List<String> members = names(seen.get(seen.size() - 1).path("members"));
      assertEquals(1, occurrences(members, name), "who lists the user once: " + members);
      assertEquals(2, members.size(), members.toString());
      List<JsonNode> own = who(tab1, "lobby");
      assertEquals(List.of(), ofType(own, "presence"), "a user is not told about its own tabs: " + own);

      tab1.await("left", tab1.send("type", "leave", "room", "lobby"));
      seen = who(observer, "lobby");
      assertEquals(List.of(), ofType(seen, "presence"), "the other tab is still in: " + seen);
      assertEquals(1, occurrences(names(seen.get(seen.size() - 1).path("members")), name));

      tab2.await("left", tab2.send("type", "leave", "room", "lobby"));
      JsonNode gone = observer.await("presence");
      assertEquals(name, gone.path("name").asText());
      assertEquals("leave", gone.path("event").asText());
      seen = who(observer, "lobby");
      assertEquals(List.of(), ofType(seen, "presence"), "exactly one leave: " + seen);
      assertEquals(List.of(observerName), names(seen.get(seen.size() - 1).path("members")));
    }
  }

  @Test
  void aSessionLeavesARoomWhenItsLastTabDisconnects() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient observer = WsClient.json(server)) {
      hello(observer);
      join(observer, "lobby");
      WsClient tab1 = tab(server, cookie);
      WsClient tab2 = tab(server, cookie);
      String name = hello(tab1);
      hello(tab2);
      joinAll("lobby", tab1, tab2);
      assertEquals(name, observer.await("presence").path("name").asText());

      tab1.close();
      Probe.awaitConnections(server, 2);
      List<JsonNode> seen = who(observer, "lobby");
      assertEquals(List.of(), ofType(seen, "presence"), "one tab closed, the user is still in: " + seen);
      assertEquals(1, occurrences(names(seen.get(seen.size() - 1).path("members")), name));

      tab2.close();
      JsonNode gone = observer.await("presence");
      assertEquals(name, gone.path("name").asText());
      assertEquals("leave", gone.path("event").asText());
      seen = who(observer, "lobby");
      assertEquals(List.of(), ofType(seen, "presence"), "exactly one leave: " + seen);
      assertEquals(0, occurrences(names(seen.get(seen.size() - 1).path("members")), name));
    }
  }

  @Test
  void aNickFromOneTabReachesTheOtherTabAndTheRoom() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient observer = WsClient.json(server); WsClient tab1 = tab(server, cookie); WsClient tab2 = tab(server, cookie)) {
      hello(observer);
      String name = hello(tab1);
      hello(tab2);
      joinAll("lobby", observer, tab1);

      String ref = tab1.send("type", "nick", "name", "Sam");
      JsonNode mine = tab1.await("nick", ref);
      assertEquals(name, mine.path("from").asText());
      assertEquals("Sam", mine.path("to").asText());

      JsonNode other = tab2.await("nick");
      assertEquals(name, other.path("from").asText(), "a tab in no room still hears its own user's rename");
      assertEquals("Sam", other.path("to").asText());
      assertFalse(other.has("ref"), "only the asking socket's copy carries the ref: " + other);

      JsonNode room = observer.await("nick");
      assertEquals("Sam", room.path("to").asText());

      JsonNode joined = join(tab2, "lobby");
      assertEquals(1, occurrences(names(joined.path("members")), "Sam"), joined.toString());
      try (WsClient tab3 = tab(server, cookie)) {
        assertEquals("Sam", hello(tab3), "a new tab of the session has the new name");
      }
    }
  }

  @Test
  void aMessageFromOneTabReachesEveryTabInTheRoomAndTheirSenderIsOneName() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient observer = WsClient.json(server); WsClient tab1 = tab(server, cookie); WsClient tab2 = tab(server, cookie)) {
      hello(observer);
      String name = hello(tab1);
      hello(tab2);
      joinAll("lobby", observer, tab1, tab2);
      String ref = tab1.send("type", "send", "room", "lobby", "text", "from tab one");
      long id = tab1.await("ack", ref).path("id").asLong();
      for (WsClient socket : List.of(tab1, tab2, observer)) {
        JsonNode message = socket.await("message");
        assertEquals(id, message.path("id").asLong());
        assertEquals(name, message.path("from").asText());
      }
      List<JsonNode> second = who(tab2, "lobby");
      assertEquals(List.of(), ofType(second, "ack"), "only the sending socket gets the ack: " + second);
    }
  }

  @Test
  void aForgedCookieIsNeverAdoptedAndGetsAGuestOfItsOwn() throws Exception {
    String cookie = sessionCookie(server);
    int dot = cookie.indexOf('.');
    assertTrue(dot > 0, "a cookie is <id>.<signature>: " + cookie);
    String zeroSignature = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    String forgedSignature = cookie.substring(0, dot + 1) + zeroSignature;
    String otherId = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
    String forgedId = otherId + cookie.substring(dot);
    assertNotEquals(cookie, forgedSignature);

    try (WsClient real = tab(server, cookie)) {
      String name = hello(real);
      real.await("nick", real.send("type", "nick", "name", "Owner"));
      for (String forged : List.of(forgedSignature, forgedId, "garbage", cookie + "x")) {
        try (WsClient impostor = tab(server, forged)) {
          String impostorName = hello(impostor);
          assertNotEquals("Owner", impostorName, "forged cookie " + forged + " was adopted");
          assertNotEquals(name, impostorName);
          assertTrue(impostorName.matches("user[0-9]+"), impostorName);
        }
      }
      try (WsClient a = tab(server, forgedSignature); WsClient b = tab(server, forgedSignature)) {
        assertNotEquals(hello(a), hello(b), "two sockets with one forged cookie are two guests, not one session");
      }
    }
  }

  @Test
  void typingFromTwoTabsOfOneSessionIsOneUsersTypingAndNeverReachesItsOwnTabs() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient observer = WsClient.json(server); WsClient tab1 = tab(server, cookie); WsClient tab2 = tab(server, cookie)) {
      hello(observer);
      String name = hello(tab1);
      hello(tab2);
      joinAll("lobby", observer, tab1, tab2);
      tab1.send("type", "typing", "room", "lobby");
      // tab1's typing is handled before tab2's (two sockets have no order of their own), and
      // both before the send, which starts the 3 s window again.
      tab1.await("members", tab1.send("type", "who", "room", "lobby"));
      tab2.send("type", "typing", "room", "lobby");
      tab2.await("ack", tab2.send("type", "send", "room", "lobby", "text", "typed"));
      List<JsonNode> seen = new ArrayList<>();
      JsonNode frame;
      do {
        frame = observer.next();
        seen.add(frame);
      } while (!"message".equals(frame.path("type").asText()));
      List<JsonNode> typing = ofType(seen, "typing");
      assertEquals(1, typing.size(), "at most once per 3 s per user, whichever tab types: " + seen);
      assertEquals(name, typing.get(0).path("name").asText());
      assertEquals(List.of(), ofType(who(tab1, "lobby"), "typing"), "a user's own tabs are not told");
      assertEquals(List.of(), ofType(who(tab2, "lobby"), "typing"));
    }
  }
}
