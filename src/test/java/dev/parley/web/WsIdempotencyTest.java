package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static dev.parley.testing.WsSteps.hello;
import static dev.parley.testing.WsSteps.join;
import static dev.parley.testing.WsSteps.sessionCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.chat.Limits;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import dev.parley.testing.WsSteps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idempotent sends: a repeated {@code cid} gets the original ack and is neither stored nor delivered again. */
@Timeout(60)
class WsIdempotencyTest extends ServerPerTest {
  WsIdempotencyTest() {
    super(TestServer::unlimited);
  }

  // ---------------------------------------------------------------- helpers

  /** A tab of the session {@code cookie} that has read its hello. */
  private WsClient tab(String cookie) {
    WsClient client = WsSteps.tab(server, cookie);
    hello(client);
    return client;
  }

  private static JsonNode ack(WsClient client, String room, String text, String cid) {
    String ref = client.send("type", "send", "room", room, "text", text, "cid", cid);
    JsonNode ack = client.await(f -> ref.equals(f.path("ref").asText()));
    assertEquals("ack", ack.path("type").asText(), "send " + cid + ": " + ack);
    assertEquals(room, ack.path("room").asText());
    return ack;
  }

  /** The ids of the messages a socket received before the answer to a fresh {@code who}. */
  private static List<Long> messagesSoFar(WsClient client) {
    String ref = client.send("type", "who", "room", "general");
    List<Long> ids = new ArrayList<>();
    while (true) {
      JsonNode frame = client.next();
      if ("members".equals(frame.path("type").asText()) && ref.equals(frame.path("ref").asText())) {
        return ids;
      }
      if ("message".equals(frame.path("type").asText())) {
        ids.add(frame.path("id").asLong());
      }
    }
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aRepeatedCidGetsTheSameAckAndIsDeliveredOnce() {
    try (WsClient sender = connected(server); WsClient reader = connected(server)) {
      join(sender, "retry");
      join(reader, "retry");
      JsonNode first = ack(sender, "retry", "once", "c-1");
      JsonNode again = ack(sender, "retry", "once", "c-1");
      assertEquals(first.path("id").asLong(), again.path("id").asLong(), "the original message's ack");
      assertEquals(first.path("ts").asLong(), again.path("ts").asLong());
      JsonNode after = ack(sender, "retry", "next", "c-2");
      assertEquals(first.path("id").asLong() + 1, after.path("id").asLong(), "the repeat was not stored");
      assertEquals(List.of(1L, 2L), messagesSoFar(reader), "the repeat was not delivered");
    }
  }

  @Test
  void aRepeatedCidIsAcknowledgedWithoutARateCheck() {
    try (TestServer slow = TestServer.start(c -> TestServer.withLimits(c, new Limits(4000, 3, 0.001, 50, 0.001, 50)));
        WsClient sender = connected(slow)) {
      join(sender, "retry");
      long one = ack(sender, "retry", "one", "a").path("id").asLong();
      ack(sender, "retry", "two", "b");
      ack(sender, "retry", "three", "c");
      assertEquals(one, ack(sender, "retry", "one", "a").path("id").asLong(), "a retry needs no token");
      String ref = sender.send("type", "send", "room", "retry", "text", "four", "cid", "d");
      JsonNode refused = sender.await(f -> ref.equals(f.path("ref").asText()));
      assertEquals("rate_limited", refused.path("code").asText(), "a new cid still does: " + refused);
    }
  }

  @Test
  void aCidIsScopedToTheSessionAndTheRoom() throws Exception {
    String cookie = sessionCookie(server);
    try (WsClient tab1 = tab(cookie); WsClient tab2 = tab(cookie); WsClient stranger = connected(server)) {
      join(tab1, "retry");
      join(tab2, "retry");
      join(tab1, "other");
      join(stranger, "retry");
      long id = ack(tab1, "retry", "hello", "shared").path("id").asLong();
      assertEquals(id, ack(tab2, "retry", "hello", "shared").path("id").asLong(),
          "another tab of the same session retrying gets the original ack");
      long strangers = ack(stranger, "retry", "hello", "shared").path("id").asLong();
      assertNotEquals(id, strangers, "another user's cid is its own");
      JsonNode elsewhere = ack(tab1, "other", "hello", "shared");
      assertEquals(1, elsewhere.path("id").asLong(), "the same cid in another room is a new message");
      JsonNode history = stranger.await("history", stranger.send("type", "history", "room", "retry"));
      assertEquals(2, history.path("messages").size(), "the tab's retry was stored once: " + history);
    }
  }

  @Test
  void aRetryAfterReconnectingWithTheSameSessionIsNotStoredAgain() throws Exception {
    String cookie = sessionCookie(server);
    long id;
    try (WsClient before = tab(cookie)) {
      join(before, "retry");
      id = ack(before, "retry", "survives", "r-1").path("id").asLong();
    }
    try (WsClient after = tab(cookie)) {
      join(after, "retry");
      assertEquals(id, ack(after, "retry", "survives", "r-1").path("id").asLong());
      JsonNode history = after.await("history", after.send("type", "history", "room", "retry"));
      assertEquals(1, history.path("messages").size(), "stored once: " + history);
    }
  }
}
