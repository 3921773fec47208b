package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes on one PostgreSQL database and one Redis serve one chat: messages cross nodes,
 * ids stay consecutive and in order under concurrent senders on every node, and a client
 * whose node goes away resumes on another with {@code since}, missing nothing.
 */
@Timeout(120)
class ClusterMessagingTest extends ThreeNodes {

  private static JsonNode join(WsClient client, String room) {
    return client.await("joined", client.send("type", "join", "room", room));
  }

  /** Reads live messages of a room until one with {@code lastId} arrives; returns their ids in arrival order. */
  private static List<Long> idsUntil(WsClient client, String room, long lastId) {
    List<Long> ids = new ArrayList<>();
    while (ids.isEmpty() || ids.get(ids.size() - 1) < lastId) {
      JsonNode m = client.await(f -> "message".equals(f.path("type").asText()) && room.equals(f.path("room").asText()));
      ids.add(m.get("id").asLong());
    }
    return ids;
  }

  @Test
  void aMessageSentOnOneNodeReachesClientsOnEveryNode() {
    WsClient a = client(0);
    WsClient b = client(1);
    WsClient c = client(2);
    join(a, "lobby");
    join(b, "lobby");
    join(c, "lobby");
    JsonNode ack = a.await("ack", a.send("type", "send", "room", "lobby", "text", "across the cluster"));
    for (WsClient receiver : List.of(a, b, c)) {
      JsonNode m = receiver.await("message");
      assertEquals(ack.get("id").asLong(), m.get("id").asLong());
      assertEquals("across the cluster", m.get("text").asText());
    }
  }

  @Test
  void concurrentSendersOnEveryNodeGetConsecutiveIdsThatEveryClientReceivesInOrder() throws Exception {
    List<WsClient> senders = List.of(client(0), client(1), client(2));
    List<WsClient> readers = List.of(client(0), client(1), client(2));
    for (WsClient c : senders) {
      join(c, "busy");
    }
    for (WsClient c : readers) {
      join(c, "busy");
    }
    int perSender = 200;
    List<CompletableFuture<Void>> sending = new ArrayList<>();
    for (int s = 0; s < senders.size(); s++) {
      WsClient sender = senders.get(s);
      int n = s;
      sending.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < perSender; i++) {
          sender.send("type", "send", "room", "busy", "text", "node " + n + " message " + i);
        }
      }));
    }
    CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long total = (long) perSender * senders.size();
    List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
    for (WsClient reader : readers) {
      assertEquals(expected, idsUntil(reader, "busy", total), "every id once, in order, on every node");
    }
  }

  @Test
  void aClientWhoseNodeGoesAwayResumesOnAnotherWithSinceAndMissesNothing() {
    WsClient leaving = client(0);
    WsClient sender = client(2);
    join(leaving, "resume");
    join(sender, "resume");
    long seen = sender.await("ack", sender.send("type", "send", "room", "resume", "text", "before")).get("id").asLong();
    assertEquals(seen, leaving.await("message").get("id").asLong());

    nodes.remove(0).close();
    assertEquals((short) 1001, leaving.awaitClose());
    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missed.add(sender.await("ack", sender.send("type", "send", "room", "resume", "text", "while away " + i))
          .get("id").asLong());
    }

    WsClient back = client(0); // what was node 1 is now the first node
    JsonNode joined = back.await("joined", back.send("type", "join", "room", "resume", "since", seen));
    assertEquals(true, joined.get("recovered").asBoolean());
    List<Long> recovered = new ArrayList<>();
    joined.get("messages").forEach(m -> recovered.add(m.get("id").asLong()));
    assertEquals(missed, recovered);
  }
}
