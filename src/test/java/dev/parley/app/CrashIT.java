package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.JarHttp;
import dev.parley.testing.JarProcess;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before visible, proven with {@code kill -9}: 20 clients send into one room as fast as
 * their acks come back, the process is killed while they are still sending, and after a restart
 * on the same data folder every acknowledged message is there, ids have no gap, and nothing
 * half-written appears.
 */
@Timeout(180)
class CrashIT {
  private static final int CLIENTS = 20;
  private static final int ENOUGH_ACKS = 2_000;
  private static final long SEND_SECONDS = 60;
  private static final String ROOM = "crash";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Makes every text long and multi-byte, so that a torn write could not pass for a whole one. */
  private static final String PADDING = " äöü €ß 😀 ñ ".repeat(12);

  @TempDir
  Path data;

  /** What one client sent: its cid and text, and the name it sent as. */
  record Sent(String cid, String text, String from) {}

  /** A client that keeps one send in flight: each ack (with a cid) triggers the next send. */
  static final class Sender {
    final WsClient client;
    final String name;
    final int index;
    final Map<String, Sent> sentByText = new ConcurrentHashMap<>();
    final Map<Long, Sent> acked;
    final List<String> problems;
    final AtomicInteger totalAcks;
    final CompletableFuture<Void> enough;
    private volatile int seq;
    private volatile String pendingRef;
    private volatile Sent pending;

    Sender(int index, WsClient client, String name, Map<Long, Sent> acked, List<String> problems,
        AtomicInteger totalAcks, CompletableFuture<Void> enough) {
      this.index = index;
      this.client = client;
      this.name = name;
      this.acked = acked;
      this.problems = problems;
      this.totalAcks = totalAcks;
      this.enough = enough;
    }

    /** From now on the socket's frames are handled here, on the client's event loop. */
    void start() {
      client.socket().textMessageHandler(this::onFrame);
      sendNext();
    }

    private void sendNext() {
      seq++;
      String cid = "c" + index + "-" + seq;
      pending = new Sent(cid, "crash test " + name + " #" + seq + PADDING + seq, name);
      sentByText.put(pending.text(), pending);
      pendingRef = "s" + seq; // set before sending: the ack may come back on another thread at once
      client.send("type", "send", "room", ROOM, "text", pending.text(), "cid", cid, "ref", pendingRef);
    }

    private void onFrame(String frame) {
      if (!frame.contains("\"ack\"") && !frame.contains("\"error\"")) {
        return; // the room's messages: fast path, not parsed
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(frame);
      } catch (Exception e) {
        problems.add("unparsable frame " + frame);
        return;
      }
      String type = node.path("type").asText();
      if ("error".equals(type)) {
        problems.add(name + " got " + frame);
        return;
      }
      if (!"ack".equals(type)) {
        return;
      }
      if (!pendingRef.equals(node.path("ref").asText())) {
        problems.add(name + " got an ack for " + node.path("ref").asText() + " while waiting for " + pendingRef);
        return;
      }
      long id = node.path("id").asLong();
      if (acked.putIfAbsent(id, pending) != null) {
        problems.add("id " + id + " was acknowledged twice: " + acked.get(id) + " and " + pending);
      }
      if (totalAcks.incrementAndGet() >= ENOUGH_ACKS) {
        enough.complete(null);
      }
      sendNext();
    }
  }

  @Test
  void everyAcknowledgedMessageSurvivesAKillMinus9WithConsecutiveIdsAndNothingHalfWritten() throws Exception {
    Map<Long, Sent> acked = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger totalAcks = new AtomicInteger();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    List<Sender> senders = new ArrayList<>();
    String[] flags = {"--data", data.toString(), "--send-rate", "0", "--command-rate", "0",
        "--max-conns-per-ip", "0", "--handshakes-per-ip", "0", "--max-backlog", "67108864"};

    try (JarProcess first = JarProcess.start(flags)) {
      for (int i = 0; i < CLIENTS; i++) {
        WsClient client = WsClient.connect(first.port(), "/ws", new WebSocketConnectOptions());
        String name = client.await("hello").get("name").asText();
        client.await("joined", client.send("type", "join", "room", ROOM));
        senders.add(new Sender(i, client, name, acked, problems, totalAcks, enough));
      }
      senders.forEach(Sender::start);
      try {
        enough.get(SEND_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        // kill after the time bound with however many acks there are
      }
      first.kill();
      for (Sender sender : senders) {
        sender.client.awaitClose();
      }
    }
    // All sockets are closed: no ack can arrive any more, so the record is final.
    Map<Long, Sent> acknowledged = new HashMap<>(acked);
    assertEquals(List.of(), problems, "the senders saw no errors or odd acks before the kill");
    assertTrue(acknowledged.size() >= 100,
        "enough traffic to mean something before the kill: " + acknowledged.size() + " acks");

    try (JarProcess second = JarProcess.start(flags)) {
      List<JsonNode> history = JarHttp.allMessages(second.port(), ROOM);
      int n = history.size();

      List<Long> ids = history.stream().map(m -> m.get("id").asLong()).toList();
      for (int i = 0; i < n; i++) {
        if (ids.get(i) != i + 1) {
          throw new AssertionError("ids are not 1.." + n + " in order: position " + i + " holds id " + ids.get(i)
              + " (neighbours " + ids.subList(Math.max(0, i - 3), Math.min(n, i + 3)) + ")");
        }
      }
      assertTrue(n >= acknowledged.size(), n + " stored, " + acknowledged.size() + " acknowledged");

      Map<Long, JsonNode> byId = new HashMap<>();
      history.forEach(m -> byId.put(m.get("id").asLong(), m));
      for (Map.Entry<Long, Sent> ack : acknowledged.entrySet()) {
        JsonNode stored = byId.get(ack.getKey());
        if (stored == null) {
          throw new AssertionError("acknowledged id " + ack.getKey() + " (" + ack.getValue().cid() + ") is lost; "
              + n + " stored");
        }
        assertEquals(ack.getValue().text(), stored.get("text").asText(), "text of acknowledged id " + ack.getKey());
        assertEquals(ack.getValue().from(), stored.get("from").asText(), "sender of acknowledged id " + ack.getKey());
        assertEquals(ROOM, stored.get("room").asText());
      }

      Map<String, Sent> everythingSent = new HashMap<>();
      senders.forEach(s -> everythingSent.putAll(s.sentByText));
      Set<String> texts = new HashSet<>();
      int unacknowledged = 0;
      for (JsonNode stored : history) {
        String text = stored.get("text").asText();
        Sent sent = everythingSent.get(text);
        if (sent == null) {
          throw new AssertionError("id " + stored.get("id") + " holds a text no client sent: " + stored);
        }
        assertEquals(sent.from(), stored.get("from").asText(), "sender of id " + stored.get("id"));
        assertTrue(texts.add(text), "stored twice: " + sent.cid());
        if (!acknowledged.containsKey(stored.get("id").asLong())) {
          unacknowledged++;
        }
      }
      assertTrue(unacknowledged <= CLIENTS,
          unacknowledged + " stored messages were never acknowledged, more than the " + CLIENTS + " in flight");

      WsClient late = WsClient.connect(second.port(), "/ws", new WebSocketConnectOptions());
      JsonNode joined = late.await("joined", late.send("type", "join", "room", ROOM));
      assertEquals(n, joined.get("lastId").asLong(), "lastId after the restart");
      JsonNode ack = late.await("ack", late.send("type", "send", "room", ROOM, "text", "after the crash", "cid", "late"));
      assertEquals(n + 1, ack.get("id").asLong(), "the next id follows the last stored one");
      JsonNode delivered = late.await(f -> "message".equals(f.path("type").asText()));
      assertEquals(n + 1, delivered.get("id").asLong());
      assertEquals("after the crash", delivered.get("text").asText());
      late.close();
      System.out.printf("CrashIT: %d acknowledged, %d stored, %d stored without an ack%n",
          acknowledged.size(), n, unacknowledged);
    }
  }
}
