package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The send rate limit and the malformed-frame limit, with the default configuration. */
@Timeout(60)
class LimitsAbuseTest extends ServerPerTest {
  @Test
  void aSendFloodIsAnsweredRateLimitedAndTheConnectionStaysOpen() {
    try (WsClient client = WsClient.json(server)) {
      client.await("joined", client.send("type", "join", "room", "general"));
      Set<String> refs = new LinkedHashSet<>();
      for (int i = 0; i < 40; i++) {
        refs.add(client.send("type", "send", "room", "general", "text", "flood " + i));
      }
      Map<String, String> outcome = new HashMap<>();
      while (outcome.size() < refs.size()) {
        JsonNode frame = client.await(f -> refs.contains(f.path("ref").asText()));
        String ref = frame.path("ref").asText();
        String result = "ack".equals(frame.path("type").asText()) ? "ack" : frame.path("code").asText();
        assertNull(outcome.put(ref, result), "one reply per send: " + ref);
      }
      long acks = outcome.values().stream().filter("ack"::equals).count();
      long limited = outcome.values().stream().filter("rate_limited"::equals).count();
      assertEquals(refs.size(), acks + limited, "every send is either acknowledged or rate_limited: " + outcome);
      assertTrue(acks >= 20, "the bucket starts full with 20 tokens: " + acks + " acks");
      assertTrue(limited >= 1, "40 sends at once exceed a burst of 20 at 2 per second");
      // Still open and still served.
      JsonNode members = client.await("members", client.send("type", "who", "room", "general"));
      assertEquals(1, members.path("members").size());
      assertFalse(client.isClosed());
    }
  }

  @Test
  void fiftyMalformedFramesAreAnsweredAndTheFiftyFirstClosesWith1008() {
    try (WsClient client = WsClient.json(server)) {
      // Not "hello": a frame may arrive before WsClient sets its handler (see WsClient.open).
      client.await("members", client.send("type", "who", "room", "general"));
      for (int i = 0; i < 50; i++) {
        if (i % 2 == 0) {
          client.sendText("this is not json " + i);
        } else {
          client.sendBinary(("{\"type\":\"who\",\"room\":\"general\"}").getBytes(StandardCharsets.UTF_8));
        }
      }
      for (int i = 0; i < 50; i++) {
        JsonNode error = client.await("error");
        assertEquals("bad_request", error.path("code").asText(), "malformed frame " + (i + 1));
      }
      // Fifty bad frames in the window do not close it: a good command is still answered.
      client.await("members", client.send("type", "who", "room", "general"));
      assertFalse(client.isClosed());
      client.sendText("[\"the fifty-first\"]");
      assertEquals((short) 1008, client.awaitClose());
    }
  }

  @Test
  void binaryFramesAloneCountTowardsTheMalformedFrameLimit() {
    try (WsClient client = WsClient.json(server)) {
      // Not "hello": a frame may arrive before WsClient sets its handler (see WsClient.open).
      client.await("members", client.send("type", "who", "room", "general"));
      for (int i = 0; i < 50; i++) {
        client.sendBinary(new byte[] {1, 2, 3});
      }
      for (int i = 0; i < 50; i++) {
        assertEquals("bad_request", client.await("error").path("code").asText());
      }
      client.sendBinary(new byte[] {4});
      assertEquals((short) 1008, client.awaitClose());
    }
  }

  @Test
  void commandsAnsweredBadRequestCountTowardsTheMalformedFrameLimit() {
    try (WsClient client = WsClient.json(server)) {
      // Not "hello": a frame may arrive before WsClient sets its handler (see WsClient.open).
      client.await("members", client.send("type", "who", "room", "general"));
      for (int i = 0; i < 50; i++) {
        String ref = client.send("type", "nosuchtype");
        assertEquals("bad_request", client.await("error", ref).path("code").asText());
      }
      client.send("type", "history", "room", "general", "limit", 0);
      assertEquals((short) 1008, client.awaitClose());
    }
  }
}
