package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ClusterNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.JarProcess;
import dev.parley.testing.RecordingClient;
import dev.parley.testing.ScratchPostgres;
import dev.parley.testing.WsSteps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three jar processes on one database and one Redis; the node of a user is killed with
 * {@code kill -9}. Its user leaves the room on the other nodes exactly once within the
 * contract's 30 s, is listed nowhere meanwhile, the others chat on, and the user comes back
 * through another node with {@code since}, missing nothing.
 */
@Timeout(180)
class NodeDeathIT {
  /** The contract: a dead node's users leave their rooms within 30 s. */
  private static final Duration LEAVE_WITHIN = Duration.ofSeconds(30);
  /**
   * After the first leave, how long to keep watching for a second one: two sweep periods (5 s
   * each) and a margin, so that every node has swept again at least once.
   */
  private static final Duration SECOND_LEAVE_WINDOW = Duration.ofSeconds(11);
  private static final Duration PACE = Duration.ofMillis(250);
  private static final String[] FLAGS = {"--send-rate", "0", "--command-rate", "0", "--max-conns-per-ip", "0",
      "--handshakes-per-ip", "0"};

  /** A room of this run alone: the Redis may be shared with other runs. */
  private final String room = "death-" + UUID.randomUUID().toString().substring(0, 8);
  private ScratchPostgres database;
  private final List<JarProcess> jars = new ArrayList<>();

  @BeforeEach
  void startCluster() throws Exception {
    String admin = ScratchPostgres.adminUrlFromEnv();
    String redis = ClusterNode.redisUrlFromEnv();
    assumeTrue(admin != null && redis != null, "set PARLEY_TEST_PG_URL and PARLEY_TEST_REDIS_URL to run cluster tests");
    database = new ScratchPostgres(admin);
    for (int i = 0; i < 3; i++) {
      List<String> args = new ArrayList<>(List.of("--db", database.url(), "--redis", redis));
      args.addAll(List.of(FLAGS));
      jars.add(JarProcess.start(args.toArray(String[]::new)));
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (JarProcess jar : jars) {
      jar.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private JsonNode join(RecordingClient client, Object... extra) {
    List<Object> command = new ArrayList<>(List.of("type", "join", "room", room));
    command.addAll(List.of(extra));
    return client.request("joined", command.toArray());
  }

  private JsonNode send(RecordingClient client, String text) {
    return client.request("ack", "type", "send", "room", room, "text", text);
  }

  private Predicate<JsonNode> message(long id) {
    return f -> RecordingClient.isMessage(f, room) && f.get("id").asLong() == id;
  }

  /** The live ids a watcher received, which must be consecutive from its joined's lastId: each once, in order. */
  private List<Long> liveIds(RecordingClient watcher, long joinedLastId) {
    List<Long> ids = watcher.messageIds(room);
    if (!ids.isEmpty()) {
      assertEquals(WsSteps.range(joinedLastId + 1, ids.get(ids.size() - 1)), ids,
          watcher.name() + " got every id once, in order");
    }
    return ids;
  }

  @Test
  void aKilledNodesUserLeavesOnceEverywhereAndComesBackThroughAnotherNodeMissingNothing() throws Exception {
    int a = jars.get(0).port();
    int b = jars.get(1).port();
    int c = jars.get(2).port();
    RecordingClient watcherB = RecordingClient.connect(b);
    RecordingClient watcherC = RecordingClient.connect(c);
    long lastIdB = join(watcherB).get("lastId").asLong();
    long lastIdC = join(watcherC).get("lastId").asLong();

    String cookie = JarHttp.newSession(a);
    RecordingClient victim = RecordingClient.withSession(a, cookie);
    assertEquals("victim", victim.request("nick", "type", "nick", "name", "victim").get("to").asText());
    join(victim);
    for (RecordingClient watcher : List.of(watcherB, watcherC)) {
      watcher.await(0, RecordingClient.presence(room, "join", "victim"), Duration.ofSeconds(10));
    }
    assertEquals(List.of(watcherB.name(), watcherC.name(), "victim"), sorted(watcherB.who(room)), "who on B");
    long lastSeen = send(watcherB, "before the kill").get("id").asLong();
    victim.await(0, message(lastSeen), Duration.ofSeconds(10));

    long killed = System.nanoTime();
    jars.get(0).kill();
    long afterKill = send(watcherC, "right after the kill").get("id").asLong();
    Short closeCode = victim.awaitClose();
    assertEquals((short) 1006, closeCode, "the victim's socket dropped without a close frame");

    // The others chat on while the dead node's user is swept away.
    List<Long> sentWhileAway = new ArrayList<>(List.of(afterKill));
    long[] leaveAt = new long[2];
    List<RecordingClient> watchers = List.of(watcherB, watcherC);
    int round = 0;
    while (leaveAt[0] == 0 || leaveAt[1] == 0) {
      assertTrue(System.nanoTime() - killed < LEAVE_WITHIN.toNanos(), "the victim's leave reached B at "
          + leaveAt[0] + " and C at " + leaveAt[1] + " (0: not within " + LEAVE_WITHIN + ")");
      RecordingClient from = watchers.get(round++ % 2);
      long id = send(from, "while the victim is away " + round).get("id").asLong();
      sentWhileAway.add(id);
      for (int w = 0; w < 2; w++) {
        watchers.get(w).await(0, message(id), Duration.ofSeconds(10));
        if (leaveAt[w] == 0) {
          Optional<RecordingClient.Frame> leave = watchers.get(w).poll(0,
              RecordingClient.presence(room, "leave", "victim"), PACE);
          if (leave.isPresent()) {
            leaveAt[w] = leave.get().nanos();
          }
        }
      }
    }
    double leaveB = (leaveAt[0] - killed) / 1e9;
    double leaveC = (leaveAt[1] - killed) / 1e9;
    System.out.printf("NodeDeathIT: the victim's presence leave reached B %.3f s and C %.3f s after the kill%n",
        leaveB, leaveC);
    assertTrue(leaveB <= LEAVE_WITHIN.toSeconds() && leaveC <= LEAVE_WITHIN.toSeconds(),
        "the leave reached B after " + leaveB + " s and C after " + leaveC + " s");
    assertFalse(watcherB.who(room).contains("victim"), "who on B after the leave: no ghost");
    assertFalse(watcherC.who(room).contains("victim"), "who on C after the leave: no ghost");

    // Watch for a second leave while every node sweeps at least once more, chatting on.
    long firstLeave = Math.min(leaveAt[0], leaveAt[1]);
    while (System.nanoTime() - firstLeave < SECOND_LEAVE_WINDOW.toNanos()) {
      RecordingClient from = watchers.get(round++ % 2);
      long id = send(from, "while the victim is away " + round).get("id").asLong();
      sentWhileAway.add(id);
      for (RecordingClient watcher : watchers) {
        watcher.await(0, message(id), Duration.ofSeconds(10));
      }
      watcherB.poll(watcherB.mark(), RecordingClient.presence(room, "leave", "victim"), PACE);
    }
    for (RecordingClient watcher : watchers) {
      assertEquals(1, watcher.matching(RecordingClient.presence(room, "leave", "victim")).size(),
          watcher.name() + " got exactly one leave for the victim");
    }
    assertEquals(1, watcherB.messageIds(room).stream().filter(id -> id == afterKill).count(),
        "C's message right after the kill reached B exactly once");

    // The victim comes back through B, with the id it saw last.
    int markC = watcherC.mark();
    RecordingClient back = RecordingClient.withSession(b, cookie);
    assertEquals("victim", back.name(), "the session kept its name across nodes");
    JsonNode rejoined = join(back, "since", lastSeen);
    assertTrue(rejoined.path("recovered").asBoolean(), "recovered: " + rejoined);
    List<Long> recovered = WsSteps.ids(rejoined.get("messages"));
    assertEquals(List.copyOf(new TreeSet<>(sentWhileAway)), recovered, "exactly the messages sent while away");
    assertEquals(WsSteps.range(lastSeen + 1, rejoined.get("lastId").asLong()), recovered, "nothing else either");
    watcherC.await(markC, RecordingClient.presence(room, "join", "victim"), Duration.ofSeconds(10));
    assertTrue(watcherC.who(room).contains("victim"), "who on C lists the victim again");
    assertTrue(watcherB.who(room).contains("victim"), "who on B lists the victim again");

    long last = send(back, "I am back").get("id").asLong();
    for (RecordingClient watcher : watchers) {
      watcher.await(0, message(last), Duration.ofSeconds(10));
    }
    assertEquals(last, liveIds(watcherB, lastIdB).get(liveIds(watcherB, lastIdB).size() - 1));
    assertEquals(last, liveIds(watcherC, lastIdC).get(liveIds(watcherC, lastIdC).size() - 1));
    for (RecordingClient watcher : watchers) {
      assertEquals(1, watcher.matching(RecordingClient.presence(room, "leave", "victim")).size(),
          watcher.name() + " still got exactly one leave for the victim");
    }
    System.out.printf("NodeDeathIT: %d messages while the victim was away, all recovered through B%n",
        recovered.size());
  }

  private static List<String> sorted(List<String> names) {
    List<String> copy = new ArrayList<>(names);
    copy.sort(String.CASE_INSENSITIVE_ORDER);
    return copy;
  }
}
