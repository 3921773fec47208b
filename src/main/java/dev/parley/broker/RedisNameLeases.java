package dev.parley.broker;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Name leases of a cluster, in Redis: one hash {@code parley:name:<nameKey>} per leased name,
 * with the field {@code holder} and one field {@code n:<nodeId>} per node that holds it for
 * that holder, whose value is when that node's hold expires (Redis time, ms). The key's TTL
 * (30 s) is renewed with every hold, so it outlives every node's hold and lapses with the last.
 *
 * <p>Why per node: a holder may be online through two nodes at once (two tabs behind a load
 * balancer); a release through one of them must not free the name while the other still
 * holds it. So {@link #release} drops this node's hold, and frees the name only when no live
 * hold remains; {@link #acquire} succeeds when the name is free, is the holder's already, or
 * its holder has no live hold left. Each is one Lua script.
 *
 * <p>The node keeps the leases it holds in memory and renews them all every 10 s with one
 * script, so a dead node's holds lapse 20 to 30 s after its last renewal. After an outage
 * (each time the connection is made again) the same script takes them back: one that lapsed
 * meanwhile is taken again, and one that another holder took meanwhile is dropped from memory
 * with a warning (that holder keeps it). The record follows the answers of Redis, which come
 * in call order: a lease enters it when an acquire succeeds and leaves it at a release.
 *
 * <p>Closing a node releases its holds; while Redis is down, calls fail at once.
 */
public final class RedisNameLeases implements NameLeases {
  static final long DEFAULT_TTL_MILLIS = 30_000;
  static final long DEFAULT_RENEW_MILLIS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(RedisNameLeases.class);

  /** The functions the scripts share: {@code now()} in ms, {@code live(key, now)}, {@code take(key, holder, node, now, ttl)}. */
  private static final String FUNCTIONS = """
      local function now()
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      -- Drops the expired holds of the lease; returns how many remain.
      local function live(key, at)
        local fields = redis.call('HGETALL', key)
        local count = 0
        for i = 1, #fields, 2 do
          if string.sub(fields[i], 1, 2) == 'n:' then
            if tonumber(fields[i + 1]) <= at then
              redis.call('HDEL', key, fields[i])
            else
              count = count + 1
            end
          end
        end
        return count
      end
      -- Holds the lease for the holder through the node, unless another holder has it; 1 if held.
      local function take(key, holder, node, at, ttl)
        local current = redis.call('HGET', key, 'holder')
        if current and current ~= holder then
          if live(key, at) > 0 then return 0 end
          redis.call('DEL', key)
        end
        redis.call('HSET', key, 'holder', holder, 'n:' .. node, at + tonumber(ttl))
        redis.call('PEXPIRE', key, ttl)
        return 1
      end
      """;

  /** KEYS: the name. ARGV: holder, node id, TTL ms. 1 when the holder has it now. */
  private static final String ACQUIRE = FUNCTIONS + """
      return take(KEYS[1], ARGV[1], ARGV[2], now(), ARGV[3])
      """;

  /** KEYS: names. ARGV: node id, then their holders, in the same order. Drops this node's holds; frees names no live hold keeps. */
  private static final String RELEASE = FUNCTIONS + """
      local at = now()
      for i, key in ipairs(KEYS) do
        if redis.call('HGET', key, 'holder') == ARGV[i + 1] then
          redis.call('HDEL', key, 'n:' .. ARGV[1])
          if live(key, at) == 0 then
            redis.call('DEL', key)
          end
        end
      end
      return 0
      """;

  /**
   * KEYS: names. ARGV: node id, TTL ms, then their holders, in the same order. Renews (or takes
   * again) each; returns the positions (from 1) of those another holder has.
   */
  private static final String KEEP = FUNCTIONS + """
      local at = now()
      local lost = {}
      for i, key in ipairs(KEYS) do
        if take(key, ARGV[i + 2], ARGV[1], at, ARGV[2]) == 0 then
          table.insert(lost, i)
        end
      end
      return lost
      """;

  private final RedisSession session;
  private final RedisLink link;
  private final String namespace;
  private final long ttlMillis;
  private final String nodeId = UUID.randomUUID().toString();

  // Touched on the session's context only.
  /** The leases this node holds: name key → holder. */
  private final Map<String, String> held = new LinkedHashMap<>();
  private long renewTimer = -1;

  /** Leases on the Redis server at {@code redisUrl}; starts connecting at once, without waiting for it. */
  public RedisNameLeases(Vertx vertx, String redisUrl) {
    this(vertx, redisUrl, DEFAULT_TTL_MILLIS, DEFAULT_RENEW_MILLIS, RedisPresence.DEFAULT_NAMESPACE);
  }

  /** With another TTL and renewal period, and keys under another prefix: for tests. */
  RedisNameLeases(Vertx vertx, String redisUrl, long ttlMillis, long renewMillis, String namespace) {
    this.session = new RedisSession(vertx, redisUrl, "name leases");
    this.namespace = namespace;
    this.ttlMillis = ttlMillis;
    this.link = session.link("leases", null, (connection, afterOutage) -> {
      if (afterOutage) {
        keep();
      }
    });
    session.context.runOnContext(v -> {
      if (session.closed()) {
        return;
      }
      link.connect();
      renewTimer = vertx.setPeriodic(renewMillis, t -> {
        if (link.connection() != null) {
          keep();
        }
      });
    });
  }

  @Override
  public CompletionStage<Boolean> acquire(String nameKey, String holder) {
    Promise<Boolean> done = Promise.promise();
    session.run(done, () -> link.send(RedisSession.eval(ACQUIRE, List.of(key(nameKey)), List.of(holder, nodeId, Long.toString(ttlMillis))))
        .map(r -> r.toInteger() == 1)
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            held.put(nameKey, holder);
          }
          done.handle(ar);
        }));
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Void> release(String nameKey, String holder) {
    Promise<Void> done = Promise.promise();
    session.run(done, () -> link.send(RedisSession.eval(RELEASE, List.of(key(nameKey)), List.of(nodeId, holder)))
        .onComplete(ar -> {
          held.remove(nameKey, holder); // when Redis could not be told, the lease lapses unrenewed
          done.handle(ar.<Void>mapEmpty());
        }));
    return RedisSession.stage(done.future());
  }

  /** Releases every hold of this node, then closes. */
  @Override
  public void close() {
    session.close(() -> {
      stopTimer();
      if (held.isEmpty()) {
        link.shutDown();
        session.closeClient();
        return;
      }
      List<String> keys = new ArrayList<>();
      List<String> args = new ArrayList<>();
      args.add(nodeId);
      held.forEach((name, holder) -> {
        keys.add(key(name));
        args.add(holder);
      });
      held.clear();
      link.shutDownAfter(RedisSession.eval(RELEASE, keys, args)).onComplete(v -> session.closeClient());
    });
  }

  /** Stops as a dying node does: no more renewals, connection dropped, nothing released. */
  void crash() {
    session.close(() -> {
      stopTimer();
      link.shutDown();
      session.closeClient();
    });
  }

  /** Extends every lease held, or takes it back; forgets those another holder took meanwhile. */
  private void keep() {
    if (held.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>(held.keySet());
    List<String> holders = new ArrayList<>(held.values());
    List<String> args = new ArrayList<>(holders.size() + 2);
    args.add(nodeId);
    args.add(Long.toString(ttlMillis));
    args.addAll(holders);
    link.send(RedisSession.eval(KEEP, names.stream().map(this::key).toList(), args)).onComplete(ar -> {
      if (ar.failed()) {
        log.debug("Renewing {} name lease(s) failed: {}", names.size(), ar.cause().toString());
        return;
      }
      for (String position : RedisSession.strings(ar.result())) {
        int i = Integer.parseInt(position) - 1;
        if (held.remove(names.get(i), holders.get(i))) {
          log.warn("The name lease {} of {} lapsed and another holder took it", names.get(i), holders.get(i));
        }
      }
    });
  }

  private void stopTimer() {
    session.vertx.cancelTimer(renewTimer);
  }

  private String key(String nameKey) {
    return namespace + "name:" + nameKey;
  }
}
