package dev.parley.broker;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence of a cluster, in Redis. Each node has a random id and these keys (prefix
 * {@code parley:}):
 *
 * <ul>
 *   <li>{@code presence:<room>}: a hash, user → name: the room's members on every node, what
 *       {@link #members} reads with one HGETALL;
 *   <li>{@code holders:<room>:<user>}: a set of the ids of the nodes that have the user in the
 *       room; the user is a member while it is not empty;
 *   <li>{@code node:<id>:rooms}: a set of {@code room\tuser} entries the node holds, so that
 *       another node can undo them when it dies;
 *   <li>{@code node:<id>:alive}: the heartbeat, with a TTL of 10 s, renewed every 3 s;
 *   <li>{@code nodes}: a set of node ids.
 * </ul>
 *
 * <p>{@link #enter} and {@link #exit} are each one Lua script: the node is added to (removed
 * from) the holders set, and the answer is whether that set was (is now) empty, so exactly one
 * node sees a user's first arrival and its last departure, whatever the interleaving. Unlike
 * one hash field per user and node, this costs O(1) per call, whatever the room's size.
 * (Room names contain neither {@code :} nor a tab; user keys may contain anything.)
 *
 * <p><b>Dead nodes.</b> Every 5 s each node runs one Lua script that, for every node in
 * {@code nodes} whose heartbeat key is gone, removes its entries and returns the users that
 * thereby left a room, which are reported to the {@linkplain #onExpired listeners} of the node
 * that ran it. The script is atomic, so when several nodes sweep at once each departure is
 * reported once, by one of them. A dead node's users are gone 10 to 15 s after its last
 * heartbeat (the contract allows 30). A node also sweeps as soon as it is registered, so
 * that one starting (as after a restart of the cluster) clears at once what dead nodes left.
 * Closing a node deletes its heartbeat, so that another node reports its users within one
 * sweep.
 *
 * <p><b>Outages.</b> The node keeps in memory what it has entered; calls change that record
 * at once, even while Redis is down (then they fail at once, naming the cause). Each time
 * the connection is made (and whenever the heartbeat finds that this node had lapsed), one
 * script registers the node again and makes Redis agree with that record: the entries it
 * holds are added, those it no longer holds are removed. The users it thereby removes from
 * a room (exits that could not be recorded) are reported to the {@linkplain #onExpired
 * expiry listeners}, those it adds to a room that had lost them (to a sweep by another node
 * during a long outage, or to a Redis restart without persistence) to the
 * {@linkplain #onRestored restore listeners}.
 *
 * <p>Plain Redis only (no Redis Cluster: the scripts touch keys of several rooms).
 */
public final class RedisPresence implements Presence {
  /** How fast a node notices another's death. */
  record Timing(long ttlMillis, long heartbeatMillis, long sweepMillis) {
    static final Timing DEFAULT = new Timing(10_000, 3_000, 5_000);
  }

  static final String DEFAULT_NAMESPACE = "parley:";
  private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

  private final RedisSession session;
  private final RedisLink link;
  private final Timing timing;
  private final String namespace;
  private final String nodeId = UUID.randomUUID().toString();
  private final List<Consumer<Signal>> expiredListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Signal>> restoredListeners = new CopyOnWriteArrayList<>();

  // Touched on the session's context only.
  /** What this node has entered: room → user → name. */
  private final Map<String, Map<String, String>> here = new LinkedHashMap<>();
  private long heartbeatTimer = -1;
  private long sweepTimer = -1;

  /** Presence on the Redis server at {@code redisUrl}; starts connecting at once, without waiting for it. */
  public RedisPresence(Vertx vertx, String redisUrl) {
    this(vertx, redisUrl, Timing.DEFAULT, DEFAULT_NAMESPACE);
  }

  /** With other timings, and keys under another prefix: for tests. */
  RedisPresence(Vertx vertx, String redisUrl, Timing timing, String namespace) {
    this.session = new RedisSession(vertx, redisUrl, "presence");
    this.timing = timing;
    this.namespace = namespace;
    this.link = session.link("presence", null, (connection, afterOutage) -> resync());
    session.context.runOnContext(v -> {
      if (session.closed()) {
        return;
      }
      link.connect();
      heartbeatTimer = vertx.setPeriodic(timing.heartbeatMillis(), t -> heartbeat());
      sweepTimer = vertx.setPeriodic(timing.sweepMillis(), t -> sweep());
    });
  }

  @Override
  public CompletionStage<Boolean> enter(String room, String user, String name) {
    Promise<Boolean> done = Promise.promise();
    session.run(done, () -> {
      here.computeIfAbsent(room, r -> new HashMap<>()).put(user, name);
      link.send(RedisSession.eval(RedisPresenceScripts.ENTER,
              List.of(membersKey(room), holdersKey(room, user), nodeKey("rooms"), namespace + "nodes"),
              List.of(user, name, nodeId, entry(room, user))))
          .map(r -> r.toInteger() == 1)
          .onComplete(done);
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Boolean> exit(String room, String user) {
    Promise<Boolean> done = Promise.promise();
    session.run(done, () -> {
      Map<String, String> users = here.get(room);
      if (users != null) {
        users.remove(user);
        if (users.isEmpty()) {
          here.remove(room);
        }
      }
      link.send(RedisSession.eval(RedisPresenceScripts.EXIT,
              List.of(membersKey(room), holdersKey(room, user), nodeKey("rooms")),
              List.of(user, nodeId, entry(room, user))))
          .map(r -> r.toInteger() == 1)
          .onComplete(done);
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Void> rename(String user, String name) {
    Promise<Void> done = Promise.promise();
    session.run(done, () -> {
      List<String> keys = new ArrayList<>();
      here.forEach((room, users) -> {
        if (users.replace(user, name) != null) {
          keys.add(membersKey(room));
        }
      });
      if (keys.isEmpty()) {
        done.complete();
        return;
      }
      link.send(RedisSession.eval(RedisPresenceScripts.RENAME, keys, List.of(user, name))).<Void>mapEmpty().onComplete(done);
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Map<String, String>> members(String room) {
    Promise<Map<String, String>> done = Promise.promise();
    session.run(done, () -> link.send(Request.cmd(Command.HGETALL).arg(membersKey(room)))
        .map(RedisSession::hash)
        .onComplete(done));
    return RedisSession.stage(done.future());
  }

  /** Also called for the departures this node could not record while Redis was down (see the class comment). */
  @Override
  public void onExpired(Consumer<Signal> listener) {
    expiredListeners.add(listener);
  }

  /**
   * Registers what to do when this node, reconnecting, put back a user that had been removed
   * from a room meanwhile (its departure may have been announced): called with a join signal,
   * on the adapter's thread.
   */
  @Override
  public void onRestored(Consumer<Signal> listener) {
    restoredListeners.add(listener);
  }

  /** Stops, deleting this node's heartbeat so that another node reports its users at its next sweep. */
  @Override
  public void close() {
    session.close(() -> {
      stopTimers();
      link.shutDownAfter(Request.cmd(Command.DEL).arg(nodeKey("alive"))).onComplete(v -> session.closeClient());
    });
  }

  /** Stops as a dying node does: no more heartbeats or sweeps, connection dropped, nothing deleted. */
  void crash() {
    session.close(() -> {
      stopTimers();
      link.shutDown();
      session.closeClient();
    });
  }

  /** This node's id, under which its keys are. */
  String nodeId() {
    return nodeId;
  }

  // ---------------------------------------------------------------- liveness

  private void heartbeat() {
    if (link.connection() == null) {
      return; // the reconnection registers the node
    }
    link.send(Request.cmd(Command.PEXPIRE).arg(nodeKey("alive")).arg(timing.ttlMillis())).onComplete(ar -> {
      if (ar.succeeded() && ar.result().toInteger() == 0) {
        log.warn("This node's presence in Redis at {} had lapsed (no heartbeat for {} ms); registering it again",
            session.endpoint, timing.ttlMillis());
        resync();
      } else if (ar.failed()) {
        log.debug("Presence heartbeat failed: {}", ar.cause().toString());
      }
    });
  }

  private void sweep() {
    if (link.connection() == null) {
      return;
    }
    link.send(RedisSession.eval(RedisPresenceScripts.REAP, List.of(namespace + "nodes"), List.of(namespace, nodeId))).onComplete(ar -> {
      if (ar.failed()) {
        log.debug("Presence sweep failed: {}", ar.cause().toString());
        return;
      }
      List<Signal> left = signals(ar.result(), Signal::leave);
      if (!left.isEmpty()) {
        log.info("{} user(s) left a room with a dead node", left.size());
      }
      tell(expiredListeners, left);
    });
  }

  /** Registers the node and makes its entries in Redis those it holds. */
  private void resync() {
    List<String> args = new ArrayList<>();
    args.add(namespace);
    args.add(nodeId);
    args.add(Long.toString(timing.ttlMillis()));
    here.forEach((room, users) -> users.forEach((user, name) -> {
      args.add(room);
      args.add(user);
      args.add(name);
    }));
    link.send(RedisSession.eval(RedisPresenceScripts.RESYNC, List.of(nodeKey("alive"), namespace + "nodes", nodeKey("rooms")), args))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("Could not register this node's presence in Redis at {}: {}; retrying at the next heartbeat",
                session.endpoint, ar.cause().toString());
            return;
          }
          List<Signal> restored = signals(ar.result().get(0), Signal::join);
          List<Signal> departed = signals(ar.result().get(1), Signal::leave);
          if (!restored.isEmpty() || !departed.isEmpty()) {
            log.info("Presence in Redis at {} resynchronized: {} user(s) put back in a room, {} removed",
                session.endpoint, restored.size(), departed.size());
          }
          tell(restoredListeners, restored);
          tell(expiredListeners, departed);
          sweep(); // at once: a node starting (as after a restart) clears what dead nodes left
        });
  }

  private void stopTimers() {
    session.vertx.cancelTimer(heartbeatTimer);
    session.vertx.cancelTimer(sweepTimer);
  }

  private static void tell(List<Consumer<Signal>> listeners, List<Signal> signals) {
    for (Signal signal : signals) {
      for (Consumer<Signal> listener : listeners) {
        try {
          listener.accept(signal);
        } catch (RuntimeException e) {
          log.error("A presence listener failed on {}", signal, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- encoding

  private interface SignalOf {
    Signal make(String room, String user, String name);
  }

  /** Signals from a flat list of room, user, name. */
  private static List<Signal> signals(Response triples, SignalOf kind) {
    List<String> flat = RedisSession.strings(triples);
    List<Signal> out = new ArrayList<>(flat.size() / 3);
    for (int i = 0; i + 2 < flat.size(); i += 3) {
      out.add(kind.make(flat.get(i), flat.get(i + 1), flat.get(i + 2)));
    }
    return out;
  }

  private String membersKey(String room) {
    return namespace + "presence:" + room;
  }

  private String holdersKey(String room, String user) {
    return namespace + "holders:" + room + ":" + user;
  }

  private String nodeKey(String what) {
    return namespace + "node:" + nodeId + ":" + what;
  }

  private static String entry(String room, String user) {
    return room + "\t" + user;
  }
}
