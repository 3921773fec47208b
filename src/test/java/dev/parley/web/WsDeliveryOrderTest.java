package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static dev.parley.testing.WsSteps.ids;
import static dev.parley.testing.WsSteps.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery promise under load: sockets that join while messages pour in see every id
 * exactly once, in order, across their {@code joined} snapshot and the live stream after it,
 * and no live message before their {@code joined}.
 */
@Timeout(60)
class WsDeliveryOrderTest extends ServerPerTest {
  WsDeliveryOrderTest() {
    super(TestServer::unlimited);
  }

  private static final String ROOM = "flood";
  private static final int TOTAL = 2000;
  private static final int SENDERS = 2;
  private static final int BATCH = 10;
  /** How many ids each late joiner with {@code since} claims to have missed. */
  private static final int MISSED = 100;
  /** Sends {@code count} messages in batches, recording the highest id acknowledged so far. */
  private static Void flood(WsClient sender, int count, AtomicLong highest) {
    for (int sent = 0; sent < count; sent += BATCH) {
      String last = null;
      for (int i = 0; i < BATCH; i++) {
        last = sender.send("type", "send", "room", ROOM, "text", "m" + (sent + i));
      }
      long id = sender.await("ack", last).path("id").asLong();
      highest.accumulateAndGet(id, Math::max);
    }
    return null;
  }

  private static void awaitAcked(AtomicLong highest, long atLeast, List<Future<Void>> senders) throws Exception {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    while (highest.get() < atLeast) {
      for (Future<Void> f : senders) {
        if (f.isDone()) {
          f.get(); // surfaces a sender's failure
        }
      }
      if (System.nanoTime() > deadline) {
        fail("the senders did not reach id " + atLeast + "; acknowledged so far: " + highest.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** The {@code joined} answering {@code ref}; no message may come before it. */
  private static JsonNode joinedFirst(WsClient client, String ref) {
    while (true) {
      JsonNode frame = client.next();
      String type = frame.path("type").asText();
      if (type.equals("joined") && ref.equals(frame.path("ref").asText())) {
        return frame;
      }
      assertTrue(type.equals("presence"), "nothing but presence may come before joined, got " + frame);
    }
  }

  /** Appends the ids of live messages up to and including id {@code TOTAL}. */
  private static void liveUntilTheEnd(WsClient client, List<Long> ids) {
    long last = ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    while (last < TOTAL) {
      JsonNode frame = client.next();
      String type = frame.path("type").asText();
      if (type.equals("presence")) {
        continue;
      }
      assertEquals("message", type, "only messages and presence are expected: " + frame);
      assertEquals(ROOM, frame.path("room").asText());
      last = frame.path("id").asLong();
      ids.add(last);
    }
  }

  /** A joiner: a fresh socket sends {@code join} (with {@code since}, or without) once the flood reaches a point. */
  private record Joiner(WsClient client, Long since, String ref) {}

  @Test
  void socketsJoiningDuringAFloodSeeEveryIdOnceInOrderAcrossSnapshotAndLiveStream() throws Exception {
    List<WsClient> senders = new ArrayList<>();
    List<WsClient> idle = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try {
      for (int i = 0; i < SENDERS; i++) {
        WsClient sender = connected(server);
        sender.await("joined", sender.send("type", "join", "room", ROOM));
        senders.add(sender);
      }
      for (int i = 0; i < 6; i++) {
        idle.add(connected(server));
      }
      AtomicLong highest = new AtomicLong();
      List<Future<Void>> floods = new ArrayList<>();
      for (WsClient sender : senders) {
        floods.add(pool.submit(() -> flood(sender, TOTAL / SENDERS, highest)));
      }

      List<Joiner> joiners = new ArrayList<>();
      long[] points = {300, 900, 1500};
      for (int p = 0; p < points.length; p++) {
        awaitAcked(highest, points[p], floods);
        long since = highest.get() - MISSED;
        WsClient recovering = idle.get(2 * p);
        WsClient plain = idle.get(2 * p + 1);
        joiners.add(new Joiner(recovering, since,
            recovering.send("type", "join", "room", ROOM, "since", since)));
        joiners.add(new Joiner(plain, null, plain.send("type", "join", "room", ROOM)));
      }
      for (Future<Void> f : floods) {
        f.get(40, TimeUnit.SECONDS);
      }
      assertEquals(TOTAL, highest.get());

      for (Joiner joiner : joiners) {
        JsonNode joined = joinedFirst(joiner.client(), joiner.ref());
        long lastId = joined.path("lastId").asLong();
        assertTrue(lastId < TOTAL, "the join happened during the flood: lastId " + lastId);
        List<Long> snapshot = ids(joined.path("messages"));
        long from;
        if (joiner.since() != null) {
          assertTrue(joined.path("recovered").asBoolean(false), "since " + joiner.since() + " with lastId "
              + lastId + " is recoverable: " + joined.path("recovered"));
          from = joiner.since() + 1;
          assertEquals(range(from, lastId), snapshot, "the snapshot holds every missed id");
        } else {
          from = lastId - 49;
          assertEquals(range(from, lastId), snapshot, "the snapshot holds the latest 50");
        }
        List<Long> seen = new ArrayList<>(snapshot);
        liveUntilTheEnd(joiner.client(), seen);
        assertEquals(range(from, TOTAL), seen, "snapshot + live stream: every id once, in order, since "
            + joiner.since() + ", lastId " + lastId);
      }
    } finally {
      pool.shutdownNow();
      senders.forEach(WsClient::close);
      idle.forEach(WsClient::close);
    }
  }

  @Test
  void aSocketRejoiningDuringAFloodKeepsOneGaplessLiveStream() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (WsClient sender = connected(server); WsClient member = connected(server)) {
      sender.await("joined", sender.send("type", "join", "room", ROOM));
      JsonNode first = member.await("joined", member.send("type", "join", "room", ROOM));
      assertEquals(0, first.path("lastId").asLong());
      AtomicLong highest = new AtomicLong();
      Future<Void> flood = pool.submit(() -> flood(sender, TOTAL, highest));
      awaitAcked(highest, 700, List.of(flood));
      String rejoin = member.send("type", "join", "room", ROOM);
      flood.get(40, TimeUnit.SECONDS);

      List<Long> live = new ArrayList<>();
      JsonNode second = null;
      int liveBeforeSecond = -1;
      while (live.isEmpty() || live.get(live.size() - 1) < TOTAL) {
        JsonNode frame = member.next();
        String type = frame.path("type").asText();
        if (type.equals("joined")) {
          assertEquals(rejoin, frame.path("ref").asText());
          assertEquals(null, second, "one joined per join");
          second = frame;
          liveBeforeSecond = live.size();
        } else if (type.equals("message")) {
          live.add(frame.path("id").asLong());
        } else {
          assertEquals("presence", type, frame.toString());
        }
      }
      assertTrue(second != null, "the rejoin was answered");
      assertEquals(range(1, TOTAL), live, "the live stream has every id once, in order, across the rejoin");
      long lastId = second.path("lastId").asLong();
      assertTrue(lastId > 0 && lastId < TOTAL, "the rejoin happened during the flood: " + lastId);
      assertEquals(lastId, liveBeforeSecond == 0 ? 0 : live.get(liveBeforeSecond - 1),
          "the fresh joined covers exactly what was delivered before it");
      assertEquals(range(lastId - 49, lastId), ids(second.path("messages")));
    } finally {
      pool.shutdownNow();
    }
  }
}
