package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static dev.parley.testing.WsSteps.ids;
import static dev.parley.testing.WsSteps.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code history} paging, and the 256 KiB cap on the messages of {@code history} and {@code joined} frames. */
@Timeout(60)
class WsHistoryTest extends ServerPerTest {
  WsHistoryTest() {
    super(TestServer::unlimited);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGES_BYTES = 256 * 1024;
  // ---------------------------------------------------------------- helpers

  /** Sends {@code count} messages, the i-th with the text {@code text.apply(i)}, and waits for the last ack. */
  private static void fill(WsClient client, String room, int count, IntFunction<String> text) {
    client.await("joined", client.send("type", "join", "room", room));
    String last = null;
    for (int i = 1; i <= count; i++) {
      last = client.send("type", "send", "room", room, "text", text.apply(i));
    }
    assertEquals(count, client.await("ack", last).path("id").asLong());
  }

  private static JsonNode history(WsClient client, Object... fields) {
    List<Object> command = new ArrayList<>(List.of("type", "history"));
    command.addAll(List.of(fields));
    String ref = client.send(command.toArray());
    JsonNode reply = client.await("history", ref);
    assertTrue(reply.path("more").isBoolean(), "more is a boolean: " + reply);
    return reply;
  }

  private static int bytes(JsonNode messages) throws Exception {
    return JSON.writeValueAsBytes(messages).length;
  }

  // ---------------------------------------------------------------- tests

  @Test
  void historyPagesBackThroughMoreThanAHundredMessagesOldestFirst() {
    try (WsClient writer = connected(server); WsClient reader = connected(server)) {
      fill(writer, "archive", 130, i -> "m" + i);

      JsonNode latest = history(reader, "room", "archive");
      assertEquals("archive", latest.path("room").asText());
      assertEquals(range(81, 130), ids(latest.path("messages")), "default: the newest 50, oldest first");
      assertTrue(latest.path("more").asBoolean());
      JsonNode first = latest.path("messages").get(0);
      assertEquals("m81", first.path("text").asText());
      assertEquals("archive", first.path("room").asText());
      assertTrue(first.path("ts").isIntegralNumber() && first.path("from").isTextual(), first.toString());

      JsonNode page1 = history(reader, "room", "archive", "limit", 100);
      assertEquals(range(31, 130), ids(page1.path("messages")));
      assertTrue(page1.path("more").asBoolean());

      JsonNode page2 = history(reader, "room", "archive", "before", 31, "limit", 100);
      assertEquals(range(1, 30), ids(page2.path("messages")));
      assertFalse(page2.path("more").asBoolean(), "nothing older than id 1");

      JsonNode middle = history(reader, "room", "archive", "before", 60, "limit", 10);
      assertEquals(range(50, 59), ids(middle.path("messages")));
      assertTrue(middle.path("more").asBoolean());

      JsonNode exact = history(reader, "room", "archive", "before", 11, "limit", 10);
      assertEquals(range(1, 10), ids(exact.path("messages")));
      assertFalse(exact.path("more").asBoolean(), "exactly the oldest ten: no more");

      JsonNode none = history(reader, "room", "archive", "before", 1);
      assertEquals(List.of(), ids(none.path("messages")));
      assertFalse(none.path("more").asBoolean());

      JsonNode beyond = history(reader, "room", "archive", "before", 1_000_000, "limit", 1);
      assertEquals(List.of(130L), ids(beyond.path("messages")));
      assertTrue(beyond.path("more").asBoolean());
    }
  }

  @Test
  void historyOfARoomNobodyUsedIsEmptyAndNeedsNoMembership() {
    try (WsClient reader = connected(server)) {
      JsonNode empty = history(reader, "room", "never-used");
      assertEquals("never-used", empty.path("room").asText());
      assertEquals(List.of(), ids(empty.path("messages")));
      assertFalse(empty.path("more").asBoolean());
    }
  }

  @Test
  void historyAndJoinedFramesCarryAtMost256KibOfMessagesTheNewestOnes() throws Exception {
    try (WsClient writer = connected(server); WsClient reader = connected(server); WsClient rejoiner = connected(server)) {
      fill(writer, "big", 100, i -> String.format("%03d", i) + "x".repeat(3897));

      JsonNode page = history(reader, "room", "big", "limit", 100);
      JsonNode messages = page.path("messages");
      assertTrue(bytes(messages) <= MAX_MESSAGES_BYTES, "history messages take " + bytes(messages) + " bytes");
      assertTrue(messages.size() > 0 && messages.size() < 100, "some, not all, fit: " + messages.size());
      assertEquals(range(101 - messages.size(), 100), ids(messages), "the newest that fit, oldest first");
      assertTrue(page.path("more").asBoolean(), "older messages exist");
      assertEquals(3900, messages.get(0).path("text").asText().length(), "texts are not cut");

      String since = rejoiner.send("type", "join", "room", "big", "since", 0);
      JsonNode recovery = rejoiner.await("joined", since);
      JsonNode recovered = recovery.path("messages");
      assertTrue(bytes(recovered) <= MAX_MESSAGES_BYTES, "joined messages take " + bytes(recovered) + " bytes");
      assertEquals(100, recovery.path("lastId").asLong());
      assertTrue(recovered.size() > 0 && recovered.size() < 100, "some, not all, fit: " + recovered.size());
      assertEquals(range(101 - recovered.size(), 100), ids(recovered));
      assertEquals(false, recovery.path("recovered").asBoolean(true),
          "a join whose missed messages did not all fit is not recovered: " + recovery.path("recovered"));
      assertTrue(recovery.path("recovered").isBoolean());

      String plain = reader.send("type", "join", "room", "big");
      JsonNode latest = reader.await("joined", plain);
      assertTrue(bytes(latest.path("messages")) <= MAX_MESSAGES_BYTES);
      assertEquals(range(51, 100), ids(latest.path("messages")), "50 messages of 3,900 characters do fit");
      assertFalse(latest.has("recovered"));
    }
  }
}
