package dev.parley.broker;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each Redis adapter of this package ({@link RedisBroker}, {@link RedisPresence},
 * {@link RedisNameLeases}) has of its own: a Redis client, the one Vert.x context its state is
 * confined to (the constructor's, or a new event-loop context outside Vert.x), a name for its
 * connections, a closed flag, and how a call from any thread hops onto that context.
 */
final class RedisSession {
  /** Every call fails after this long without an answer. */
  static final long COMMAND_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_WAITING_COMMANDS = 8_192;
  private static final Logger log = LoggerFactory.getLogger(RedisSession.class);

  final Vertx vertx;
  final Context context;
  final Redis redis;
  /** host:port, without credentials: safe to log. */
  final String endpoint;
  /** The prefix of this adapter's connection names in {@code CLIENT LIST}. */
  final String clientName;
  private final String what;
  private volatile boolean closed;

  /**
   * @param redisUrl {@code redis://[[user]:password@]host:port[/db]}
   * @param what what the adapter is, for messages ({@code "broker"}: "the Redis broker is closed")
   */
  RedisSession(Vertx vertx, String redisUrl, String what) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.endpoint = withoutCredentials(redisUrl);
    this.clientName = "parley-" + UUID.randomUUID().toString().substring(0, 8);
    this.what = what;
    RedisOptions options = new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxWaitingHandlers(MAX_WAITING_COMMANDS);
    options.getNetClientOptions()
        .setConnectTimeout((int) COMMAND_TIMEOUT_MILLIS)
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
    this.redis = Redis.createClient(vertx, options);
  }

  /** A connection of this session, named {@code <clientName>-<role>}; it connects when told to. */
  RedisLink link(String role, Handler<Response> pushes, RedisLink.Listener listener) {
    return new RedisLink(this, role, pushes, listener);
  }

  boolean closed() {
    return closed;
  }

  /**
   * Marks the session closed (calls fail from now on) and runs {@code shutDown} on the
   * context. Returns at once. Does nothing the second time, nor after Vert.x was closed (Vert.x
   * closed the sockets itself).
   */
  void close(Runnable shutDown) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      context.runOnContext(v -> shutDown.run());
    } catch (RuntimeException e) {
      log.debug("Redis {} closed after Vert.x: {}", what, e.toString());
    }
  }

  /** Closes the client; on the context, after the links were shut down. */
  void closeClient() {
    redis.close().onFailure(e -> log.debug("Closing the Redis client: {}", e.toString()));
  }

  /** Runs {@code action} on the context; fails {@code promise} when that is impossible or the session is closed. */
  void run(Promise<?> promise, Runnable action) {
    if (closed) {
      promise.tryFail(closedFailure());
      return;
    }
    try {
      context.runOnContext(v -> {
        if (closed) {
          promise.tryFail(closedFailure());
          return;
        }
        try {
          action.run();
        } catch (RuntimeException e) {
          promise.tryFail(e);
        }
      });
    } catch (RuntimeException e) {
      promise.tryFail(e);
    }
  }

  /** What a caller gets: the future, failing after {@link #COMMAND_TIMEOUT_MILLIS} without an answer. */
  static <T> CompletionStage<T> stage(Future<T> future) {
    return future.timeout(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).toCompletionStage();
  }

  /** {@code EVAL script numkeys keys... args...}. */
  static Request eval(String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  /** The elements of an array reply, as strings (a nil element as {@code null}). */
  static List<String> strings(Response array) {
    List<String> out = new ArrayList<>(array == null ? 0 : array.size());
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        Response element = array.get(i);
        out.add(element == null ? null : element.toString());
      }
    }
    return out;
  }

  /** A hash reply (a map in RESP3, field-value pairs in RESP2) as a map of strings. */
  static Map<String, String> hash(Response reply) {
    Map<String, String> out = new HashMap<>();
    if (reply == null) {
      return out;
    }
    if (reply.isMap()) {
      for (String key : reply.getKeys()) {
        out.put(key, reply.get(key).toString());
      }
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        out.put(reply.get(i).toString(), reply.get(i + 1).toString());
      }
    }
    return out;
  }

  IllegalStateException closedFailure() {
    return new IllegalStateException("the Redis " + what + " is closed");
  }

  private static String withoutCredentials(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    } catch (RuntimeException e) {
      return "(the configured Redis)";
    }
  }
}
