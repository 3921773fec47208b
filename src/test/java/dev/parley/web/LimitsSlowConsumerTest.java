package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.Probe;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socket that stops reading is closed with 1013 once its outbound backlog passes
 * --max-backlog, and its neighbours in the room are not slowed and miss nothing.
 */
@Timeout(60)
class LimitsSlowConsumerTest {
  private static final long BACKLOG = 64 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestServer server;

  @BeforeEach
  void start() {
    WebLimits d = WebLimits.defaults();
    WebLimits limits = new WebLimits(d.maxFrame(), BACKLOG, d.badFrames(), d.badFrameWindowNanos(),
        d.maxConnsPerIp(), d.handshakeBurst(), d.handshakeRate(), d.pingMillis(), d.deadMillis());
    server = TestServer.start(c -> TestServer.withWebLimits(TestServer.unlimited(c), limits));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Reads a neighbour's waiting frames without blocking, keeping the ids of its messages in order. */
  private static void drain(WsClient neighbour, List<Long> ids, Map<Long, Long> seenAt) {
    for (String text = neighbour.pollText(); text != null; text = neighbour.pollText()) {
      try {
        JsonNode frame = MAPPER.readTree(text);
        if ("message".equals(frame.path("type").asText())) {
          long id = frame.path("id").asLong();
          ids.add(id);
          seenAt.put(id, System.nanoTime());
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aSocketThatStopsReadingIsClosedWith1013WhileItsNeighbourGetsEveryMessagePromptly() {
    try (WsClient slow = WsClient.json(server); WsClient neighbour = WsClient.json(server);
        WsClient sender = WsClient.json(server)) {
      slow.await("joined", slow.send("type", "join", "room", "general"));
      long start = neighbour.await("joined", neighbour.send("type", "join", "room", "general"))
          .path("lastId").asLong();
      sender.await("joined", sender.send("type", "join", "room", "general"));
      slow.pause();

      String padding = "p".repeat(3_900);
      List<Long> ids = new ArrayList<>();
      Map<Long, Long> seenAt = new HashMap<>();
      Map<Long, Long> sentAt = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      long lastId = start;
      int batches = 0;
      while (Probe.metric(server, "parley_slow_consumer_closes_total") < 1) {
        assertTrue(System.nanoTime() < deadline,
            "the paused socket was not closed after " + (lastId - start) + " messages of ~3.9 KB");
        List<String> refs = new ArrayList<>();
        long sent = System.nanoTime();
        for (int i = 0; i < 50; i++) {
          refs.add(sender.send("type", "send", "room", "general", "text", "m" + batches + "." + i + " " + padding));
        }
        for (String ref : refs) {
          lastId = sender.await("ack", ref).path("id").asLong();
          sentAt.put(lastId, sent);
        }
        batches++;
        drain(neighbour, ids, seenAt);
      }
      // The paused socket is closed with 1013 (it sees the close frame once it reads again).
      slow.resume();
      assertEquals((short) 1013, slow.awaitClose());

      // A few more messages after the close, and the neighbour has every one, in order, promptly.
      for (int i = 0; i < 5; i++) {
        long sent = System.nanoTime();
        lastId = sender.await("ack", sender.send("type", "send", "room", "general", "text", "after " + i))
            .path("id").asLong();
        sentAt.put(lastId, sent);
      }
      long finalId = lastId;
      Probe.until(Duration.ofSeconds(10), () -> {
        drain(neighbour, ids, seenAt);
        return !ids.isEmpty() && ids.get(ids.size() - 1) >= finalId;
      }, () -> "the neighbour has " + ids.size() + " messages; the last sent id is " + finalId);
      List<Long> expected = new ArrayList<>();
      for (long id = start + 1; id <= finalId; id++) {
        expected.add(id);
      }
      List<Long> missing = new ArrayList<>(expected);
      missing.removeAll(ids);
      assertEquals(List.of(), missing, "ids the neighbour never got (of " + expected.size() + ")");
      assertEquals(expected, ids, "the neighbour gets every message, in order, with no gap");
      long delay = Duration.ofNanos(seenAt.get(finalId) - sentAt.get(finalId)).toMillis();
      assertTrue(delay < 3_000, "the neighbour's last message came " + delay + " ms after it was sent");
      assertFalse(neighbour.isClosed());
      assertEquals(1.0, Probe.metric(server, "parley_slow_consumer_closes_total"), "only the slow socket is closed");
    }
  }
}
