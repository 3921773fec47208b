package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** User names over /ws: guest names, renames, case-insensitive uniqueness, who holds a name and for how long. */
@Timeout(60)
class WsNamesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern CONNECTIONS = Pattern.compile("(?m)^parley_connections(?:\\{[^}]*\\})? (\\S+)$");
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(TestServer::unlimited);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---------------------------------------------------------------- helpers

  private String sessionCookie() throws Exception {
    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.http("/"))).GET().build(),
        HttpResponse.BodyHandlers.discarding());
    for (String header : response.headers().allValues("set-cookie")) {
      if (header.startsWith("parley_sid=")) {
        int end = header.indexOf(';');
        return header.substring("parley_sid=".length(), end < 0 ? header.length() : end);
      }
    }
    throw new AssertionError("GET / set no parley_sid cookie: " + response.headers().map());
  }

  private WsClient tab(String cookie) {
    return WsClient.connect(server.port(), "/ws", new WebSocketConnectOptions().addHeader("Cookie", "parley_sid=" + cookie));
  }

  private void awaitConnections(int expected) throws Exception {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    String page = "";
    while (System.nanoTime() < deadline) {
      page = HTTP.send(HttpRequest.newBuilder(URI.create(server.http("/metrics"))).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = CONNECTIONS.matcher(page);
      if (m.find() && Double.parseDouble(m.group(1)) == expected) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    fail("the server never counted " + expected + " connections:\n" + page);
  }

  private static String hello(WsClient client) {
    JsonNode hello = client.next();
    assertEquals("hello", hello.path("type").asText(), "the first frame is hello: " + hello);
    return hello.path("name").asText();
  }

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
    String cookie = sessionCookie();
    WsClient first = tab(cookie);
    String guestName = hello(first);
    first.close();
    awaitConnections(0);
    WsClient again = tab(cookie);
    assertEquals(guestName, hello(again), "a session keeps its guest name across reconnects");
    renamed(again, "Carol");
    again.close();
    awaitConnections(0);

    try (WsClient guest = WsClient.json(server)) {
      String name = hello(guest);
      assertNotEquals("Carol", name);
      refused(guest, "carol", "name_taken");
    }
    try (WsClient back = tab(cookie)) {
      assertEquals("Carol", hello(back), "a session keeps its chosen name across reconnects");
    }
  }

  @Test
  void aNameHeldByAnOnlineSessionIsTakenForOthers() throws Exception {
    String cookie = sessionCookie();
    try (WsClient tab = tab(cookie); WsClient other = WsClient.json(server)) {
      hello(tab);
      hello(other);
      renamed(tab, "Eve");
      refused(other, "EVE", "name_taken");
      refused(other, "eve", "name_taken");
    }
  }
}
