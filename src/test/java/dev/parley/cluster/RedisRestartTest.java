package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ClusterNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.PrivateRedis;
import dev.parley.testing.Probe;
import dev.parley.testing.RecordingClient;
import dev.parley.testing.ScratchPostgres;
import dev.parley.testing.WsSteps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three in-JVM nodes on a redis-server of this test's own, which is killed under load and
 * started again on the same port with nothing in it: sends answer {@code unavailable} while it
 * is away, {@code /ready} names the broker, and afterwards delivery resumes with every
 * acknowledged id once, in order, and presence is rebuilt without ghosts.
 */
@Timeout(180)
class RedisRestartTest {
  private static final String ROOM = "restart";
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private ScratchPostgres database;
  private PrivateRedis redis;
  private final List<ClusterNode> nodes = new ArrayList<>();
  /** The session cookie of each client {@link #user} made. */
  private final Map<RecordingClient, String> sessions = new HashMap<>();

  @BeforeEach
  void startCluster() throws Exception {
    String admin = ScratchPostgres.adminUrlFromEnv();
    String shared = ClusterNode.redisUrlFromEnv();
    assumeTrue(admin != null && shared != null, "set PARLEY_TEST_PG_URL and PARLEY_TEST_REDIS_URL to run cluster tests");
    redis = PrivateRedis.start(); // fails, rather than skips, when redis-server is missing: CI has it
    database = new ScratchPostgres(admin);
    for (int i = 0; i < 3; i++) {
      nodes.add(ClusterNode.start(database.url(), redis.url()));
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    if (redis != null && !redis.running()) {
      redis.startAgain(); // so that the nodes' shutdown does not wait on a dead Redis
    }
    nodes.forEach(ClusterNode::close);
    if (redis != null) {
      redis.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private int port(int node) {
    return nodes.get(node).port();
  }

  /** A browser session on a node, renamed to {@code name} (held in the store, so a reconnect keeps it). */
  private RecordingClient user(int node, String name) {
    String cookie = JarHttp.newSession(port(node));
    RecordingClient client = RecordingClient.withSession(port(node), cookie);
    client.request("nick", "type", "nick", "name", name);
    sessions.put(client, cookie);
    return client;
  }

  private static JsonNode join(RecordingClient client, Object... extra) {
    List<Object> command = new ArrayList<>(List.of("type", "join", "room", ROOM));
    command.addAll(List.of(extra));
    return client.request("joined", command.toArray());
  }

  private HttpResponse<String> ready(int node) {
    return JarHttp.get(port(node), "/ready");
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /**
   * One client sending into the room without waiting for answers: a new cid every 5 ms; an
   * {@code unavailable} answer is sent again with the same cid after 100 ms, twice as long each
   * time up to 1 s, at most 100 times.
   * Its state lives on one thread of its own.
   */
  static final class Sender {
    private static final int MAX_ATTEMPTS = 100;
    final RecordingClient client;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sender");
      t.setDaemon(true);
      return t;
    });
    /** cid → acknowledged id. */
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    /** cids sent and not yet acknowledged (or given up). */
    final Set<String> outstanding = ConcurrentHashMap.newKeySet();
    final List<Long> unavailableAt = new CopyOnWriteArrayList<>();
    /** cids answered unavailable at least once. */
    final Set<String> unavailableCids = ConcurrentHashMap.newKeySet();
    final List<Long> ackedAt = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    private final Map<String, String> cidOfRef = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private volatile boolean sending = true;
    private int seq;

    Sender(RecordingClient client) {
      this.client = client;
    }

    void start() {
      client.onFrame(frame -> thread.execute(() -> onReply(frame)));
      thread.scheduleAtFixedRate(this::sendNew, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** No new cids from now on; the retries go on. */
    void stopSendingNew() {
      sending = false;
    }

    void shutDown() {
      thread.shutdownNow();
    }

    static String text(String cid) {
      return "load " + cid;
    }

    private void sendNew() {
      if (!sending) {
        return;
      }
      String cid = "c" + (++seq);
      outstanding.add(cid);
      sent.incrementAndGet();
      attempt(cid);
    }

    private void attempt(String cid) {
      attempts.merge(cid, 1, Integer::sum);
      String ref = client.send("type", "send", "room", ROOM, "text", text(cid), "cid", cid);
      cidOfRef.put(ref, cid);
    }

    private void onReply(JsonNode frame) {
      String cid = cidOfRef.remove(frame.path("ref").asText(""));
      if (cid == null) {
        return; // a message of the room, or a presence event
      }
      switch (frame.path("type").asText()) {
        case "ack" -> {
          long id = frame.get("id").asLong();
          Long before = acked.putIfAbsent(cid, id);
          if (before != null && before != id) {
            problems.add(cid + " was acknowledged as " + before + " and as " + id);
          }
          ackedAt.add(System.nanoTime());
          outstanding.remove(cid);
        }
        case "error" -> {
          if (!"unavailable".equals(frame.path("code").asText())) {
            problems.add(cid + " got " + frame);
            outstanding.remove(cid);
          } else if (attempts.get(cid) >= MAX_ATTEMPTS) {
            problems.add(cid + " was still unavailable after " + MAX_ATTEMPTS + " attempts");
            outstanding.remove(cid);
          } else {
            unavailableAt.add(System.nanoTime());
            unavailableCids.add(cid);
            // 100 ms, doubling up to 1 s: a client backs off rather than hammer a node that is down.
            long wait = Math.min(1000, 100L << Math.min(4, attempts.get(cid) - 1));
            thread.schedule(() -> attempt(cid), wait, TimeUnit.MILLISECONDS);
          }
        }
        default -> problems.add(cid + " got " + frame);
      }
    }

    long acksAfter(long nanos) {
      return ackedAt.stream().filter(t -> t > nanos).count();
    }

    long unavailableAfter(long nanos) {
      return unavailableAt.stream().filter(t -> t > nanos).count();
    }
  }

  /**
   * A reader of the room on one node that comes back with {@code since} when its socket is
   * closed (1011: the node could not keep its delivery promise), keeping every id it saw.
   */
  final class Reader {
    private final int node;
    private final String cookie;
    private RecordingClient client;
    private JsonNode joined;
    private final List<Long> earlier = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    Reader(int node, RecordingClient client, JsonNode joined) {
      this.node = node;
      this.client = client;
      this.cookie = sessions.get(client);
      this.joined = joined;
    }

    /** Every id this reader was given, in order: each joined snapshot after the first, then the live ones. */
    List<Long> ids() {
      List<Long> ids = new ArrayList<>(earlier);
      ids.addAll(current());
      return ids;
    }

    private List<Long> current() {
      List<Long> ids = new ArrayList<>();
      if (joined.has("recovered")) {
        ids.addAll(WsSteps.ids(joined.get("messages")));
      }
      ids.addAll(client.messageIds(ROOM));
      return ids;
    }

    long lastSeen() {
      List<Long> ids = ids();
      return ids.isEmpty() ? joined.get("lastId").asLong() : ids.get(ids.size() - 1);
    }

    /** Reconnects, with since, if the socket was closed. */
    void keepConnected() {
      if (!client.isClosed()) {
        return;
      }
      long since = lastSeen();
      earlier.addAll(current());
      closes.add(client.awaitClose() + " after id " + since);
      client = RecordingClient.withSession(port(node), cookie);
      joined = join(client, "since", since);
      if (!joined.path("recovered").asBoolean()) {
        problems.add("a reconnect with since " + since + " was not recovered: " + joined);
      }
    }

    RecordingClient client() {
      return client;
    }
  }

  @Test
  void afterARedisRestartDeliveryResumesWithEveryAcknowledgedIdOnceInOrderAndPresenceIsRebuilt() throws Exception {
    RecordingClient senderClient = user(0, "sender");
    join(senderClient);
    RecordingClient readerClient = user(1, "reader");
    Reader reader = new Reader(1, readerClient, join(readerClient));
    long firstLive = reader.lastSeen() + 1;
    RecordingClient observer = RecordingClient.connect(port(2)); // not in the room: its node asks Redis
    assertEquals(List.of("reader", "sender"), observer.who(ROOM), "presence in Redis before the outage");

    Sender sender = new Sender(senderClient);
    sender.start();
    try {
      Probe.until(SETTLE, () -> sender.acked.size() >= 200, () -> "acks before the outage: " + sender.acked.size());

      long killed = System.nanoTime();
      redis.kill();
      Probe.until(Duration.ofSeconds(15), () -> sender.unavailableAfter(killed) >= 1,
          () -> "no send answered unavailable while Redis was down; problems " + sender.problems);
      long firstUnavailable = sender.unavailableAt.stream().filter(t -> t > killed).findFirst().orElseThrow();
      long[] notReady = new long[3];
      for (int node = 0; node < 3; node++) {
        int n = node;
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Probe.until(Duration.ofSeconds(15), () -> {
          last.set(ready(n));
          return last.get().statusCode() == 503 && last.get().body().contains("\"broker\"");
        }, () -> "node " + n + " /ready while Redis is down: " + last.get().statusCode() + " " + last.get().body());
        notReady[node] = System.nanoTime();
      }
      // Redis stays away while 400 new sends (2 s of load) are answered unavailable: each of them is
      // committed but not published, and the nodes' reconnection attempts back off to their longest.
      Probe.until(Duration.ofSeconds(15), () -> sender.unavailableCids.size() >= 400,
          () -> "sends answered unavailable during the outage: " + sender.unavailableCids.size());
      long unavailableDuringOutage = sender.unavailableAfter(killed);
      long acksDuringOutage = sender.acksAfter(firstUnavailable);

      long restarted = System.nanoTime();
      redis.startAgain();
      long[] readyAgain = new long[3];
      for (int node = 0; node < 3; node++) {
        int n = node;
        Probe.until(SETTLE, () -> ready(n).statusCode() == 200, () -> "node " + n + " /ready after the restart: "
            + ready(n).body());
        readyAgain[node] = System.nanoTime();
      }
      Probe.until(SETTLE, () -> sender.acksAfter(restarted) >= 200,
          () -> "acks after the restart: " + sender.acksAfter(restarted) + "; problems " + sender.problems);
      long firstAckAfter = sender.ackedAt.stream().filter(t -> t > restarted).findFirst().orElseThrow();

      sender.stopSendingNew();
      Probe.until(SETTLE, sender.outstanding::isEmpty, () -> "sends never answered with an ack: " + sender.outstanding);
      assertEquals(List.of(), sender.problems, "the sender saw nothing but acks and unavailable");

      TreeSet<Long> ackedIds = new TreeSet<>(sender.acked.values());
      assertEquals(sender.sent.get(), ackedIds.size(), "every cid was acknowledged, each with an id of its own");
      long lastAcked = ackedIds.last();
      Probe.until(SETTLE, () -> {
        reader.keepConnected();
        return reader.lastSeen() >= lastAcked;
      }, () -> "the reader on node 1 got to id " + reader.lastSeen() + " of " + lastAcked);
      assertEquals(List.of(), reader.problems);

      List<JsonNode> stored = JarHttp.allMessages(port(1), ROOM);
      long lastStored = stored.get(stored.size() - 1).get("id").asLong();
      assertEquals(WsSteps.range(1, lastStored), stored.stream().map(m -> m.get("id").asLong()).toList(),
          "the store holds consecutive ids");
      Map<String, Long> storedIdOfText = new HashMap<>();
      for (JsonNode m : stored) {
        Long twice = storedIdOfText.put(m.get("text").asText(), m.get("id").asLong());
        assertEquals(null, twice, "stored twice: " + m);
      }
      sender.acked.forEach((cid, id) -> assertEquals(id, storedIdOfText.get(Sender.text(cid)),
          "the stored id of " + cid + " is the acknowledged one"));
      assertEquals(lastAcked, lastStored, "nothing stored beyond the last acknowledged id");
      assertEquals(WsSteps.range(ackedIds.first(), lastAcked), List.copyOf(ackedIds),
          "the acknowledged ids have no gap from the first to the last");
      assertEquals(WsSteps.range(firstLive, lastAcked), reader.ids(),
          "the reader on node 1 got every id once, in order (closes: " + reader.closes + ")");

      // Presence was rebuilt in the new Redis: a node with nobody in the room reads it from there.
      Probe.until(SETTLE, () -> observer.who(ROOM).equals(List.of("reader", "sender")),
          () -> "who on node 2 (from Redis) after the restart: " + observer.who(ROOM));
      assertEquals(List.of("reader", "sender"), senderClient.who(ROOM), "who on node 0");
      assertEquals(List.of("reader", "sender"), reader.client().who(ROOM), "who on node 1");

      System.out.printf("RedisRestartTest: %d acked (ids %d..%d); Redis killed: first unavailable after %.3f s, "
              + "/ready 503 on all nodes after %.3f s, %d unavailable answers (%d cids) and %d acks "
              + "during the outage of %.3f s; "
              + "after the restart /ready 200 on all nodes after %.3f s, first ack after %.3f s; reader closes %s%n",
          ackedIds.size(), ackedIds.first(), lastAcked, seconds(killed, firstUnavailable),
          seconds(killed, max(notReady)), unavailableDuringOutage, sender.unavailableCids.size(), acksDuringOutage,
          seconds(killed, restarted), seconds(restarted, max(readyAgain)), seconds(restarted, firstAckAfter),
          reader.closes);
    } finally {
      sender.shutDown();
    }
  }

  /** Kills Redis and waits until every node reports that it is not ready. */
  private void killRedis() throws Exception {
    redis.kill();
    for (int node = 0; node < 3; node++) {
      int n = node;
      Probe.until(Duration.ofSeconds(15), () -> ready(n).statusCode() == 503,
          () -> "node " + n + " /ready while Redis is down: " + ready(n).body());
    }
  }

  /** Starts Redis again on its port and waits until every node is ready again. */
  private void restartRedis() throws Exception {
    redis.startAgain();
    for (int node = 0; node < 3; node++) {
      int n = node;
      Probe.until(SETTLE, () -> ready(n).statusCode() == 200, () -> "node " + n + " /ready after the restart: "
          + ready(n).body());
    }
  }

  private static Predicate<JsonNode> presenceFrame() {
    return f -> "presence".equals(f.path("type").asText());
  }

  @Test
  void aUserWhoLeavesWhileRedisIsDownIsGoneEverywhereOnceItIsBack() throws Exception {
    RecordingClient stayer = user(0, "stayer");
    join(stayer);
    RecordingClient ghost = user(0, "ghost");
    join(ghost);
    RecordingClient reader = user(1, "reader");
    join(reader);
    RecordingClient observer = RecordingClient.connect(port(2));
    assertEquals(List.of("ghost", "reader", "stayer"), observer.who(ROOM), "presence in Redis before the outage");
    assertEquals(List.of("ghost", "reader", "stayer"), reader.who(ROOM), "who on node 1 before the outage");

    killRedis();
    ghost.close();
    Probe.until(() -> Probe.value(JarHttp.get(port(0), "/metrics").body(), "parley_connections").orElse(-1) == 1,
        () -> "node 0 never noticed that the ghost's socket closed");
    restartRedis();

    // The contract gives a leave 3 s after the last socket goes; here, at least once Redis is back.
    long back = System.nanoTime();
    Optional<RecordingClient.Frame> leave = reader.poll(0, RecordingClient.presence(ROOM, "leave", "ghost"), SETTLE);
    System.out.printf("RedisRestartTest: the ghost's leave reached node 1 %s%n",
        leave.map(f -> String.format("%.3f s after Redis was back", seconds(back, f.nanos()))).orElse("never"));
    Probe.until(() -> observer.who(ROOM).equals(List.of("reader", "stayer")),
        () -> "who on node 2 (from Redis) after the restart: " + observer.who(ROOM));
    assertEquals(List.of("reader", "stayer"), stayer.who(ROOM), "who on node 0, where the ghost was: no ghost");
    assertEquals(List.of("reader", "stayer"), reader.who(ROOM), "who on node 1: no ghost");
    assertTrue(leave.isPresent(), "node 1 announced the ghost's leave; presence frames: "
        + reader.matching(presenceFrame()));
  }

  private static long max(long[] values) {
    long max = Long.MIN_VALUE;
    for (long v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
