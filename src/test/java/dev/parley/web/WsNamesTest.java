package dev.parley.web;

import static dev.parley.testing.WsSteps.hello;
import static dev.parley.testing.WsSteps.sessionCookie;
import static dev.parley.testing.WsSteps.tab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.Probe;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** User names over /ws: guest names, renames, case-insensitive uniqueness, who holds a name and for how long. */
@Timeout(60)
class WsNamesTest extends ServerPerTest {
  WsNamesTest() {
    super(TestServer::unlimited);
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode nick(WsClient client, String name) {
    String ref = client.send("type", "nick", "name", name);
    JsonNode reply = client.await(f -> ref.equals(f.path("ref").asText()));
    return reply;
  }

  private static void renamed(WsClient client, String name) {
    JsonNode reply = nick(client, name);
    assertEquals("nick", reply.path("type").asText(), "nick " + name + ": " + reply);
    assertEquals(name, reply.path("to").asText());
  }

  private static void refused(WsClient client, String name, String code) {
    JsonNode reply = nick(client, name);
    assertEquals("error", reply.path("type").asText(), "nick " + name + ": " + reply);
    assertEquals(code, reply.path("code").asText(), "nick " + name + ": " + reply);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void everyConnectionWithoutASessionIsANewGuestWhoseNumberIsNeverReused() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      try (WsClient client = WsClient.json(server)) {
        String name = hello(client);
        assertTrue(name.matches("user[0-9]+"), name);
        assertTrue(names.add(name), "guest name " + name + " was given twice: " + names);
      }
    }
  }

  @Test
  void aNameIsTakenCaseInsensitivelyWhileItsHolderHasIt() {
    try (WsClient alice = WsClient.json(server); WsClient other = WsClient.json(server)) {
      hello(alice);
      String otherName = hello(other);
      renamed(alice, "Alice");
      refused(other, "alice", "name_taken");
      refused(other, "ALICE", "name_taken");
      refused(other, otherName.toUpperCase(java.util.Locale.ROOT), "invalid_name");
      renamed(alice, "alice");
      refused(other, "Alice", "name_taken");
      renamed(alice, "Alicia");
      renamed(other, "Alice");
    }
  }

  @Test
  void aGuestsChosenNameIsFreedWhenItsConnectionCloses() {
    try (WsClient observer = WsClient.json(server); WsClient b = WsClient.json(server)) {
      hello(observer);
      hello(b);
      observer.await("joined", observer.send("type", "join", "room", "general"));
      WsClient a = WsClient.json(server);
      hello(a);
      renamed(a, "dave");
      a.await("joined", a.send("type", "join", "room", "general"));
      refused(b, "Dave", "name_taken");
      a.close();
      JsonNode left = observer.await(f -> "presence".equals(f.path("type").asText())
          && "leave".equals(f.path("event").asText()));
      assertEquals("dave", left.path("name").asText());
      renamed(b, "Dave");
    }
  }

  @Test
  void aSessionKeepsItsNameAcrossReconnectsAndHoldsItWhileAway() throws Exception {
    String cookie = sessionCookie(server);
    WsClient first = tab(server, cookie);
    String guestName = hello(first);
    first.close();
    Probe.awaitConnections(server, 0);
    WsClient again = tab(server, cookie);
    assertEquals(guestName, hello(again), "a session keeps its guest name across reconnects");
    renamed(again, "Carol");
    again.close();
    Probe.awaitConnections(server, 0);

    try (WsClient guest = WsClient.json(server)) {
      String name = hello(guest);
      assertNotEquals("Carol", name);
      refused(guest, "carol", "name_taken");
    }
    try (WsClient back = tab(server, cookie)) {
      assertEquals("Carol", hello(back), "a session keeps its chosen name across reconnects");
    }
  }

  @Test
  void aNameHeldByAnOnlineSessionIsTakenForOthers() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient tab = tab(server, cookie); WsClient other = WsClient.json(server)) {
      hello(tab);
      hello(other);
      renamed(tab, "Eve");
      refused(other, "EVE", "name_taken");
      refused(other, "eve", "name_taken");
    }
  }
}
