package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static dev.parley.testing.WsSteps.ids;
import static dev.parley.testing.WsSteps.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Joining with {@code since}: recovering exactly the missed messages, or the latest 50 when that is impossible. */
@Timeout(60)
class WsJoinSinceTest extends ServerPerTest {
  WsJoinSinceTest() {
    super(TestServer::unlimited);
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode join(WsClient client, String room, Object since) {
    String ref = since == null ? client.send("type", "join", "room", room)
        : client.send("type", "join", "room", room, "since", since);
    JsonNode joined = client.await("joined", ref);
    assertEquals(room, joined.path("room").asText());
    return joined;
  }

  /** Sends {@code count} messages, text {@code t<id>}, from a joined client; returns the last id. */
  private static long send(WsClient client, String room, int count) {
    String last = null;
    for (int i = 0; i < count; i++) {
      last = client.send("type", "send", "room", room, "text", "message");
    }
    return client.await("ack", last).path("id").asLong();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aJoinWithSinceRecoversExactlyTheMessagesMissedWhileAway() {
    try (WsClient writer = connected(server)) {
      join(writer, "news", null);
      send(writer, "news", 3);
      long seen;
      try (WsClient away = connected(server)) {
        seen = join(away, "news", null).path("lastId").asLong();
        assertEquals(3, seen);
      }
      assertEquals(8, send(writer, "news", 5));

      try (WsClient back = connected(server)) {
        JsonNode joined = join(back, "news", seen);
        assertTrue(joined.path("recovered").asBoolean(false), "recovered: " + joined);
        assertEquals(8, joined.path("lastId").asLong());
        assertEquals(range(4, 8), ids(joined.path("messages")), "exactly the missed ones, oldest first");

        long next = send(writer, "news", 1);
        JsonNode live = back.next();
        assertEquals("message", live.path("type").asText(), live.toString());
        assertEquals(next, live.path("id").asLong(), "the live stream continues right after the snapshot");
      }
    }
  }

  @Test
  void aJoinSinceTheLastIdRecoversNothingAndSinceZeroRecoversEverything() {
    try (WsClient writer = connected(server); WsClient reader = connected(server)) {
      join(writer, "news", null);
      send(writer, "news", 7);
      JsonNode upToDate = join(reader, "news", 7);
      assertTrue(upToDate.path("recovered").asBoolean(false), upToDate.toString());
      assertEquals(List.of(), ids(upToDate.path("messages")));
      assertEquals(7, upToDate.path("lastId").asLong());

      try (WsClient fresh = connected(server)) {
        JsonNode all = join(fresh, "news", 0);
        assertTrue(all.path("recovered").asBoolean(false), all.toString());
        assertEquals(range(1, 7), ids(all.path("messages")));
      }
    }
  }

  @Test
  void aSinceBeyondTheLastIdGivesTheLatestFiftyNotRecovered() {
    try (WsClient writer = connected(server); WsClient reader = connected(server)) {
      join(writer, "news", null);
      send(writer, "news", 60);
      JsonNode joined = join(reader, "news", 1000);
      assertTrue(joined.path("recovered").isBoolean(), joined.toString());
      assertFalse(joined.path("recovered").asBoolean());
      assertEquals(60, joined.path("lastId").asLong());
      assertEquals(range(11, 60), ids(joined.path("messages")));
    }
  }

  @Test
  void moreThanFiveHundredMissedGivesTheLatestFiftyNotRecoveredButFiveHundredAreRecovered() {
    try (WsClient writer = connected(server); WsClient exactly = connected(server); WsClient tooMany = connected(server)) {
      join(writer, "news", null);
      assertEquals(520, send(writer, "news", 520));

      JsonNode five = join(exactly, "news", 20);
      assertTrue(five.path("recovered").asBoolean(false), "500 missed can be recovered");
      assertEquals(range(21, 520), ids(five.path("messages")));

      JsonNode more = join(tooMany, "news", 19);
      assertFalse(more.path("recovered").asBoolean(true), "501 missed are too many: " + more.path("recovered"));
      assertTrue(more.path("recovered").isBoolean());
      assertEquals(range(471, 520), ids(more.path("messages")));
    }
  }

  @Test
  void aNullSinceIsLikeNoSince() {
    try (WsClient writer = connected(server); WsClient reader = connected(server)) {
      join(writer, "news", null);
      send(writer, "news", 3);
      reader.sendText("{\"type\":\"join\",\"room\":\"news\",\"since\":null,\"ref\":\"n1\"}");
      JsonNode joined = reader.await("joined", "n1");
      assertFalse(joined.has("recovered"), "no since, no recovered: " + joined);
      assertEquals(range(1, 3), ids(joined.path("messages")));
    }
  }
}
