package dev.parley.broker;

import dev.parley.testing.TcpRelay;
import static dev.parley.broker.Waits.await;
import static dev.parley.broker.Waits.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.broker.RedisPresence.Timing;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis adapter against the contract, plus what only a cluster has: nodes that die, and
 * outages. Skipped unless {@code PARLEY_TEST_REDIS_URL} names a server. Each test has its keys
 * under a namespace of its own, so that nodes of other tests (or of a running chat) on the
 * same server neither see nor sweep its nodes.
 */
@Timeout(60)
class RedisPresenceTest extends ClusteredPresenceContract {
  /** Heartbeat TTL 1 s, heartbeat every 200 ms, sweep every 300 ms. */
  private static final Timing FAST = new Timing(1_000, 200, 300);

  private static RedisFixture redis;
  private final String namespace = RedisFixture.namespace();

  @BeforeAll
  static void connect() {
    redis = RedisFixture.open();
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void deleteKeys() throws Exception {
    closeNodes();
    redis.deleteAll(namespace);
  }

  @Override
  protected Presence newNode() {
    return new RedisPresence(redis.vertx, redis.url, Timing.DEFAULT, namespace);
  }


  private RedisPresence node(Timing timing) {
    return closedAfterTheTest(new RedisPresence(redis.vertx, redis.url, timing, namespace));
  }

  @Test
  void aNodeThatStopsHeartbeatingHasEachOfItsUsersReportedLeavingEachRoomOnceWithinTheBound() throws Exception {
    RedisPresence dying = node(FAST);
    RedisPresence survivor = node(FAST);
    RedisPresence another = node(FAST);
    Recorder<Signal> expired = new Recorder<>();
    survivor.onExpired(expired);
    another.onExpired(expired);
    String first = unique("first");
    String second = unique("second");
    await(dying.enter(first, unique("u1"), "alice"));
    await(dying.enter(second, unique("u1"), "alice"));
    await(dying.enter(first, unique("u2"), "bob"));
    await(dying.enter(first, unique("u3"), "carol"));
    await(survivor.enter(first, unique("u3"), "carol"));

    long crashed = System.nanoTime();
    dying.crash();

    List<Signal> left = expired.awaitCount(s -> true, 3, 10_000);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
    long bound = FAST.ttlMillis() + FAST.sweepMillis() + 2_000;
    assertTrue(tookMillis <= bound, "reported after " + tookMillis + " ms, more than " + bound);
    assertEquals(Set.of(Signal.leave(first, unique("u1"), "alice"), Signal.leave(second, unique("u1"), "alice"),
        Signal.leave(first, unique("u2"), "bob")), Set.copyOf(left));

    // Another node dies later: once it is reported, both survivors swept again, several times.
    RedisPresence marker = node(FAST);
    await(marker.enter(unique("marker"), unique("u9"), "zed"));
    marker.crash();
    expired.awaitFirst(s -> s.user().equals(unique("u9")));
    assertEquals(3, expired.matching(s -> !s.user().equals(unique("u9"))).size(),
        "each user-room reported once: " + expired.matching(s -> true));
    assertEquals(Map.of(unique("u3"), "carol"), await(survivor.members(first)), "still on a live node");
    assertEquals(Map.of(), await(another.members(second)));
  }

  @Test
  void closingANodeHasItsUsersReportedAtAnotherNodesNextSweepLongBeforeItsHeartbeatExpires() throws Exception {
    Timing slowExpiry = new Timing(60_000, 200, 300);
    RedisPresence closing = node(slowExpiry);
    RedisPresence survivor = node(slowExpiry);
    Recorder<Signal> expired = new Recorder<>();
    survivor.onExpired(expired);
    String room = unique("room");
    await(closing.enter(room, unique("u1"), "alice"));

    closing.close();

    assertEquals(Signal.leave(room, unique("u1"), "alice"), expired.awaitFirst(s -> true));
    assertEquals(Map.of(), await(survivor.members(room)));
  }

  @Test
  void aNodeWhoseHeartbeatLapsedWhileItWasConnectedRegistersAgainAndGetsItsUsersBack() throws Exception {
    RedisPresence lapsing = node(FAST);
    RedisPresence survivor = node(FAST);
    Recorder<Signal> expired = new Recorder<>();
    Recorder<Signal> restored = new Recorder<>();
    survivor.onExpired(expired);
    lapsing.onRestored(restored);
    String room = unique("room");
    await(lapsing.enter(room, unique("u1"), "alice"));
    String alive = namespace + "node:" + lapsing.nodeId() + ":alive";

    redis.send(Request.cmd(Command.DEL).arg(alive));

    // Either the survivor sweeps first (a leave, then a restore) or the heartbeat re-registers first (neither).
    eventually("the node is registered again, with its user", () -> redis.get(alive) != null
        && await(survivor.members(room)).equals(Map.of(unique("u1"), "alice"))
        && expired.matching(s -> true).size() == restored.matching(s -> true).size());
    assertEquals(expired.matching(s -> true).isEmpty() ? List.of() : List.of(Signal.join(room, unique("u1"), "alice")),
        restored.matching(s -> true), "a reported departure is undone by one restore");
  }

  @Test
  void afterAnOutageANodeMakesRedisAgreeWithItsSocketsLeavingNoGhost() throws Exception {
    try (TcpRelay proxy = TcpRelay.toUrl(redis.url, 6379)) {
      RedisPresence node = closedAfterTheTest(new RedisPresence(redis.vertx, proxy.url(), Timing.DEFAULT, namespace));
      Presence observer = node();
      Recorder<Signal> expired = new Recorder<>();
      Recorder<Signal> restored = new Recorder<>();
      node.onExpired(expired);
      node.onRestored(restored);
      String room = unique("room");
      await(node.enter(room, unique("u1"), "alice"));
      await(node.enter(room, unique("u2"), "bob"));
      await(observer.enter(room, unique("u4"), "dave"));

      proxy.cut();
      eventually("the node saw the outage", () -> failsNamingTheCause(node.members(room)));
      assertTrue(failsNamingTheCause(node.exit(room, unique("u2"))), "an exit during the outage fails at once");
      assertTrue(failsNamingTheCause(node.enter(room, unique("u3"), "carol")), "an enter during the outage fails at once");
      proxy.restore();

      Map<String, String> expected = Map.of(unique("u1"), "alice", unique("u3"), "carol", unique("u4"), "dave");
      eventually("the node's entries agree with its sockets", () -> await(observer.members(room)).equals(expected));
      assertEquals(Signal.leave(room, unique("u2"), "bob"), expired.awaitFirst(s -> true), "the unrecorded exit is reported");
      assertEquals(Signal.join(room, unique("u3"), "carol"), restored.awaitFirst(s -> true), "the unrecorded enter is reported");
      assertEquals(List.of(Signal.leave(room, unique("u2"), "bob")), expired.matching(s -> true), "nothing else left");
      assertEquals(List.of(Signal.join(room, unique("u3"), "carol")), restored.matching(s -> true), "nothing else came back");
      node.close();
    }
  }

  @Test
  void afterRedisRestartedWithoutItsDataANodePutsItsUsersBack() throws Exception {
    try (TcpRelay proxy = TcpRelay.toUrl(redis.url, 6379)) {
      RedisPresence node = closedAfterTheTest(new RedisPresence(redis.vertx, proxy.url(), Timing.DEFAULT, namespace));
      Recorder<Signal> restored = new Recorder<>();
      node.onRestored(restored);
      String room = unique("room");
      await(node.enter(room, unique("u1"), "alice"));

      proxy.cut();
      redis.deleteAll(namespace);
      proxy.restore();

      assertEquals(Signal.join(room, unique("u1"), "alice"), restored.awaitFirst(s -> true));
      eventually("the user is back", () -> await(node.members(room)).equals(Map.of(unique("u1"), "alice")));
      assertTrue(await(node.exit(room, unique("u1"))), "and leaves as usual");
      node.close();
    }
  }

  /** Whether the stage fails saying that Redis is unavailable. */
  private static boolean failsNamingTheCause(CompletionStage<?> stage) {
    try {
      await(stage);
      return false;
    } catch (Exception e) {
      return String.valueOf(e.getMessage()).contains("unavailable");
    }
  }
}
