package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

  private static boolean succeeds(java.util.concurrent.CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Polls the condition every 20 ms until it holds, failing after 10 s. */
  private static void eventually(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + WAIT_MILLIS + " ms: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
