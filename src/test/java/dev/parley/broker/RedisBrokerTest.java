package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static dev.parley.broker.Waits.eventually;
import static dev.parley.broker.Waits.succeeds;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis adapter against the contract, plus what a cluster adds: several nodes on one
 * Redis, and connections that Redis drops (as on a restart). Skipped unless
 * {@code PARLEY_TEST_REDIS_URL} names a server, e.g. {@code redis://127.0.0.1:6379}. The
 * server may be shared: rooms are unique per test, and only this test's own connections are
 * killed (by id, found by the client name the broker gives them).
 */
@Timeout(60)
class RedisBrokerTest extends BrokerContract {
  static final String ENV = "PARLEY_TEST_REDIS_URL";

  private static String url;
  private static Vertx vertx;
  private static Redis admin;

  @BeforeAll
  static void connect() {
    url = System.getenv(ENV);
    assumeTrue(url != null && !url.isBlank(), ENV + " is not set");
    vertx = Vertx.vertx();
    admin = Redis.createClient(vertx, url);
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (vertx != null) {
      await(admin.close().toCompletionStage());
      await(vertx.close().toCompletionStage());
    }
  }

  @Override
  protected Broker newBroker() {
    return new RedisBroker(vertx, url);
  }

  @Test
  void twoNodesSubscribedToARoomReceiveEachOthersMessages() throws Exception {
    RedisBroker other = new RedisBroker(vertx, url);
    try {
      Received otherReceived = new Received();
      other.start(otherReceived);
      String room = room("shared");
      await(broker.subscribe(room));
      await(other.subscribe(room));

      await(broker.publish(message(room, 1, "from the first node")));
      await(other.publish(message(room, 2, "from the second node")));

      for (Received sink : List.of(received, otherReceived)) {
        sink.awaitCount(room, 2);
        assertEquals(List.of(1L, 2L), ids(sink.of(room)).stream().sorted().toList());
      }
    } finally {
      other.close();
    }
  }

  @Test
  void aNodeWhoseConnectionsRedisDropsReconnectsResubscribesAndDeliversAgain() throws Exception {
    RedisBroker node = (RedisBroker) broker;
    AtomicInteger resubscribed = new AtomicInteger();
    node.onResubscribed(resubscribed::incrementAndGet);
    String room = room("restart");
    await(node.subscribe(room));
    await(node.publish(message(room, 1, "before")));
    received.awaitFirst(m -> m.id() == 1);
    assertEquals(0, resubscribed.get(), "the first connection is no resubscription");

    Map<String, Long> before = clientIds(node);
    assertEquals(1L, kill(before.get("sub"), "pubsub"), "the subscriber connection is a pubsub client");
    assertEquals(1L, kill(before.get("cmd"), "normal"), "the command connection is a normal client");

    eventually("the subscriber resubscribed", () -> resubscribed.get() >= 1);
    eventually("the node answers ping", () -> succeeds(node.ping()));
    Map<String, Long> after = clientIds(node);
    assertNotEquals(before.get("sub"), after.get("sub"), "a new subscriber connection");
    assertNotEquals(before.get("cmd"), after.get("cmd"), "a new command connection");

    await(node.publish(message(room, 2, "after")));
    assertEquals("after", received.awaitFirst(m -> m.id() == 2).text());
  }

  @Test
  void aMessageFromAnotherNodeArrivesAfterTheSubscriberWasDropped() throws Exception {
    RedisBroker node = (RedisBroker) broker;
    RedisBroker other = new RedisBroker(vertx, url);
    try {
      other.start(m -> {});
      AtomicInteger resubscribed = new AtomicInteger();
      node.onResubscribed(resubscribed::incrementAndGet);
      String room = room("dropped");
      await(node.subscribe(room));

      assertEquals(1L, kill(clientIds(node).get("sub"), "pubsub"));
      eventually("the subscriber resubscribed", () -> resubscribed.get() >= 1);
      await(other.publish(message(room, 7, "from elsewhere")));

      assertEquals("from elsewhere", received.awaitFirst(m -> m.id() == 7).text());
    } finally {
      other.close();
    }
  }

  @Test
  void whileRedisCannotBeReachedPublishPingAndSubscribeFailAtOnceWithTheCause() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RedisBroker down = new RedisBroker(vertx, "redis://127.0.0.1:" + port);
    try {
      down.start(m -> {});
      // The first attempt is refused at once; from then on every call fails without waiting.
      eventually("the first connection attempt failed", () -> !succeeds(down.ping()));

      for (var call : List.<Callable<java.util.concurrent.CompletionStage<Void>>>of(
          down::ping,
          () -> down.publish(message(room("down"), 1, "lost")),
          () -> down.subscribe(room("down")))) {
        Exception failure = assertThrows(Exception.class, () -> await(call.call()));
        assertTrue(String.valueOf(failure.getMessage()).contains("unavailable"),
            "fails naming the cause, not by timing out: " + failure);
      }
    } finally {
      down.close();
    }
  }

  @Test
  void aClosedBrokerRefusesCallsAndClosingAfterVertxIsHarmless() throws Exception {
    Vertx own = Vertx.vertx();
    RedisBroker node = new RedisBroker(own, url);
    node.start(m -> {});
    await(node.ping());
    await(own.close().toCompletionStage());

    assertDoesNotThrow(node::close);

    Exception failure = assertThrows(Exception.class, () -> await(node.publish(message(room("closed"), 1, "late"))));
    assertTrue(String.valueOf(failure.getMessage()).contains("closed"), "names the cause: " + failure);
  }

  @Test
  void aRoomSignalReachesTheNodesSubscribedToTheRoomOnly() throws Exception {
    RedisBroker second = new RedisBroker(vertx, url);
    RedisBroker third = new RedisBroker(vertx, url);
    try {
      Recorder<Signal> secondSignals = new Recorder<>();
      Recorder<Signal> thirdSignals = new Recorder<>();
      second.onSignal(secondSignals);
      third.onSignal(thirdSignals);
      String room = room("signalled");
      String marker = room("marker");
      await(broker.subscribe(room));
      await(third.subscribe(room));
      await(second.subscribe(marker));
      Signal join = Signal.join(room, "u1", "alice");

      await(second.signal(join)); // from a node not in the room
      await(second.signal(Signal.typing(marker, "u2", "bob")));

      assertEquals(join, signals.awaitFirst(s -> room.equals(s.room())));
      assertEquals(join, thirdSignals.awaitFirst(s -> room.equals(s.room())));
      secondSignals.awaitFirst(s -> marker.equals(s.room()));
      assertEquals(List.of(), secondSignals.matching(s -> room.equals(s.room())),
          "a node not subscribed to the room got its signal");
      assertEquals(List.of(), signals.matching(s -> marker.equals(s.room())),
          "a node not subscribed to the marker room got its signal");
    } finally {
      second.close();
      third.close();
    }
  }

  @Test
  void aRenameReachesEveryNodeAlsoOneSubscribedToNoRoom() throws Exception {
    RedisBroker idle = new RedisBroker(vertx, url);
    try {
      Recorder<Signal> idleSignals = new Recorder<>();
      idle.onSignal(idleSignals);
      await(idle.ping());
      await(broker.subscribe(room("somewhere")));
      Signal rename = Signal.rename(room("user"), "old_name", "new_name");

      await(broker.signal(rename));

      assertEquals(rename, signals.awaitFirst(s -> rename.user().equals(s.user())), "the sending node");
      assertEquals(rename, idleSignals.awaitFirst(s -> rename.user().equals(s.user())), "a node in no room");
    } finally {
      idle.close();
    }
  }

  @Test
  void aRenameReachesANodeAfterItsSubscriberWasDroppedAndItResubscribed() throws Exception {
    RedisBroker node = (RedisBroker) broker;
    RedisBroker other = new RedisBroker(vertx, url);
    try {
      AtomicInteger resubscribed = new AtomicInteger();
      node.onResubscribed(resubscribed::incrementAndGet);
      await(node.ping());

      assertEquals(1L, kill(clientIds(node).get("sub"), "pubsub"));
      eventually("the subscriber resubscribed", () -> resubscribed.get() >= 1);
      Signal rename = Signal.rename(room("user"), "before", "after");
      await(other.signal(rename));

      assertEquals(rename, signals.awaitFirst(s -> rename.user().equals(s.user())));
    } finally {
      other.close();
    }
  }

  @Test
  void whileRedisCannotBeReachedASignalFailsAtOnceWithTheCause() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RedisBroker down = new RedisBroker(vertx, "redis://127.0.0.1:" + port);
    try {
      eventually("the first connection attempt failed", () -> !succeeds(down.ping()));

      for (Signal signal : List.of(Signal.join(room("down"), "u1", "alice"), Signal.rename("u1", "a", "b"))) {
        Exception failure = assertThrows(Exception.class, () -> await(down.signal(signal)));
        assertTrue(String.valueOf(failure.getMessage()).contains("unavailable"),
            "fails naming the cause, not by timing out: " + failure);
      }
    } finally {
      down.close();
    }
  }

  @Test
  void unreadablePayloadsAndPayloadsOfAnotherRoomAreDroppedAndDeliveryGoesOn() throws Exception {
    String room = room("garbage");
    await(broker.subscribe(room));
    String channel = RedisBroker.CHANNEL_PREFIX + room;

    for (String payload : List.of("not json", "[1,2]", "{\"signal\":\"dance\",\"room\":\"" + room + "\"}",
        "{\"signal\":\"join\",\"room\":\"" + room("other") + "\",\"user\":\"u\",\"name\":\"n\"}",
        "{\"room\":\"" + room("other") + "\",\"id\":9,\"from\":\"x\",\"text\":\"t\",\"ts\":1}")) {
      await(admin.send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload)).toCompletionStage());
    }
    await(admin.send(Request.cmd(Command.PUBLISH).arg(RedisBroker.USERS_CHANNEL).arg(
        "{\"room\":\"" + room + "\",\"id\":8,\"from\":\"x\",\"text\":\"t\",\"ts\":1}")).toCompletionStage());
    await(broker.publish(message(room, 1, "after the garbage")));
    await(broker.signal(Signal.typing(room, "u1", "alice")));

    assertEquals(1L, received.awaitFirst(m -> m.room().equals(room)).id());
    assertEquals(Signal.typing(room, "u1", "alice"), signals.awaitFirst(s -> room.equals(s.room())));
    assertEquals(List.of(1L), ids(received.of(room)), "nothing else of the room reached the message sink");
    assertEquals(List.of(), received.of(room("other")), "a message published on another room's channel was delivered");
    assertEquals(List.of(Signal.typing(room, "u1", "alice")), signals.matching(s -> s.room() != null),
        "no other room signal was delivered");
  }

  /** The ids of the node's connections, by role ({@code cmd}, {@code sub}), from CLIENT LIST. */
  private static Map<String, Long> clientIds(RedisBroker node) throws Exception {
    String list = await(admin.send(Request.cmd(Command.CLIENT).arg("LIST")).toCompletionStage()).toString();
    Map<String, Long> ids = new HashMap<>();
    for (String line : list.split("\r?\n")) {
      Map<String, String> fields = new HashMap<>();
      for (String field : line.trim().split(" ")) {
        int eq = field.indexOf('=');
        if (eq > 0) {
          fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
      }
      String name = fields.getOrDefault("name", "");
      if (name.startsWith(node.clientName() + "-")) {
        ids.put(name.substring(node.clientName().length() + 1), Long.parseLong(fields.get("id")));
      }
    }
    assertTrue(ids.containsKey("cmd") && ids.containsKey("sub"), "both connections are named in CLIENT LIST: " + ids);
    return ids;
  }

  /** CLIENT KILL ID id TYPE type: how many connections Redis dropped. */
  private static long kill(long id, String type) throws Exception {
    return await(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(id).arg("TYPE").arg(type))
        .toCompletionStage()).toLong();
  }
}
