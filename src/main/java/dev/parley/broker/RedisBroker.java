package dev.parley.broker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.chat.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a cluster: Redis pub/sub, one channel {@code parley:room:<room>} per room, the
 * message as JSON ({@code room, id, from, text, ts}).
 *
 * <p>Two connections: PUBLISH and PING go through one command connection, in call order (so
 * one node's messages of a room arrive in publish order); SUBSCRIBE and UNSUBSCRIBE go through
 * one subscriber connection, whose pushed messages reach the sink on this broker's Vert.x
 * context, one at a time.
 *
 * <p><b>Outages.</b> A lost connection is re-established by itself, after 100 ms, then after
 * twice as long each failed attempt, up to 2 s. The subscriber subscribes again to every room
 * it had, then runs the {@linkplain #onResubscribed listeners}: messages published while it
 * was away are lost and must be read from the store. While a connection is down, publish,
 * ping and subscribe fail at once instead of waiting; every command fails after 2 s without
 * an answer. Only during the first connection attempt after construction do calls wait (at
 * most those 2 s) for it.
 *
 * <p><b>Rooms.</b> The broker keeps the set of rooms it was asked to receive: the last call
 * for a room wins ({@code unsubscribe(r)} then {@code subscribe(r)} leaves it subscribed), as
 * with {@link InProcessBroker}. A message for a room not in the set is never delivered.
 *
 * <p>State lives on one Vert.x context (the caller's, or a new event-loop context when the
 * constructor runs outside Vert.x); public methods only hand work to it.
 */
public final class RedisBroker implements Broker {
  /** Channel of a room's messages: this prefix and the room's name. */
  public static final String CHANNEL_PREFIX = "parley:room:";

  static final long COMMAND_TIMEOUT_MILLIS = 2_000;
  static final long FIRST_RETRY_MILLIS = 100;
  static final long MAX_RETRY_MILLIS = 2_000;
  private static final long CONNECT_TIMEOUT_MILLIS = 3_000;
  private static final int MAX_WAITING_COMMANDS = 8_192;

  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  private final Vertx vertx;
  private final Context context;
  private final Redis redis;
  private final String endpoint;
  private final String clientName;
  private final ObjectMapper json = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final List<Runnable> resubscribedListeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<Message> sink = m -> {};
  private volatile boolean closed;

  // Everything below is touched on `context` only.
  private final Link commands = new Link("cmd");
  private final Link subscriber = new Link("sub");
  /** Rooms this node wants to receive. */
  private final Set<String> rooms = new LinkedHashSet<>();
  /** Per channel, the SUBSCRIBE/UNSUBSCRIBE sent on the subscriber and not yet confirmed, in order. */
  private final Map<String, ArrayDeque<Pending>> unconfirmed = new HashMap<>();
  /** subscribe() calls made before the first subscriber connection, per room. */
  private final Map<String, List<Promise<Void>>> awaitingFirstConnection = new HashMap<>();
  /** Whether the subscriber was lost (or never reached) since it was last established. */
  private boolean subscriberHadOutage;

  /**
   * A broker on the Redis server at {@code redisUrl} ({@code redis://[[user]:password@]host:port[/db]}).
   * Starts connecting at once; does not wait for it.
   */
  public RedisBroker(Vertx vertx, String redisUrl) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.endpoint = withoutCredentials(redisUrl);
    this.clientName = "parley-" + UUID.randomUUID().toString().substring(0, 8);
    RedisOptions options = new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxWaitingHandlers(MAX_WAITING_COMMANDS);
    options.getNetClientOptions()
        .setConnectTimeout((int) COMMAND_TIMEOUT_MILLIS)
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
    this.redis = Redis.createClient(vertx, options);
    context.runOnContext(v -> {
      commands.connect();
      subscriber.connect();
    });
  }

  /**
   * Runs {@code listener} each time the subscriber connection is back after it was lost (or
   * could not be made) and every room is subscribed again: what was published meanwhile did
   * not arrive. Runs on the broker's context; it must not block.
   */
  @Override
  public void onResubscribed(Runnable listener) {
    resubscribedListeners.add(listener);
  }

  /** The prefix of the names this broker gives its connections ({@code CLIENT LIST}): {@code <prefix>-cmd}, {@code <prefix>-sub}. */
  public String clientName() {
    return clientName;
  }

  @Override
  public void start(Consumer<Message> sink) {
    this.sink = sink;
  }

  @Override
  public CompletionStage<Void> subscribe(String room) {
    Promise<Void> done = Promise.promise();
    onContext(done, () -> {
      rooms.add(room);
      if (subscriber.connection != null) {
        sendOnSubscriber(Command.SUBSCRIBE, List.of(room)).get(0).future().onComplete(done);
      } else if (subscriber.firstAttempt()) {
        awaitingFirstConnection.computeIfAbsent(room, r -> new ArrayList<>()).add(done);
      } else {
        done.fail(subscriber.unavailable());
      }
    });
    return stage(done.future());
  }

  @Override
  public CompletionStage<Void> unsubscribe(String room) {
    Promise<Void> done = Promise.promise();
    onContext(done, () -> {
      rooms.remove(room);
      if (subscriber.connection != null) {
        sendOnSubscriber(Command.UNSUBSCRIBE, List.of(room)).get(0).future().onComplete(done);
      } else {
        done.complete(); // nothing is subscribed on Redis; the set decides after reconnecting
      }
    });
    return stage(done.future());
  }

  @Override
  public CompletionStage<Void> publish(Message message) {
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(message);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    Request publish = Request.cmd(Command.PUBLISH).arg(CHANNEL_PREFIX + message.room()).arg(payload);
    return stage(command(publish).mapEmpty());
  }

  /** PING on the command connection; fails as well while the subscriber is down, since then this node hears nothing. */
  @Override
  public CompletionStage<Void> ping() {
    Promise<Void> done = Promise.promise();
    onContext(done, () -> {
      if (subscriber.connection == null && !subscriber.firstAttempt()) {
        done.fail(subscriber.unavailable());
        return;
      }
      command(Request.cmd(Command.PING)).<Void>mapEmpty().onComplete(done);
    });
    return stage(done.future());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      context.runOnContext(v -> {
        commands.shutDown();
        subscriber.shutDown();
        failUnconfirmed(closedFailure());
        awaitingFirstConnection.values().forEach(list -> list.forEach(p -> p.tryFail(closedFailure())));
        awaitingFirstConnection.clear();
        redis.close().onFailure(e -> log.debug("Closing the Redis client: {}", e.toString()));
      });
    } catch (RuntimeException e) {
      log.debug("Redis broker closed after Vert.x: {}", e.toString()); // Vert.x closed its sockets itself
    }
  }

  // ---------------------------------------------------------------- commands

  private Future<Response> command(Request request) {
    Promise<Response> answered = Promise.promise();
    onContext(answered, () -> {
      if (commands.connection != null) {
        commands.connection.send(request).onComplete(answered);
      } else if (commands.firstAttempt()) {
        Promise<RedisConnection> up = Promise.promise();
        commands.waiters.add(up);
        up.future().onComplete(ar -> {
          if (ar.succeeded()) {
            ar.result().send(request).onComplete(answered);
          } else {
            answered.tryFail(ar.cause());
          }
        });
      } else {
        answered.fail(commands.unavailable());
      }
    });
    return answered.future();
  }

  // ---------------------------------------------------------------- subscriber

  /** Sends SUBSCRIBE or UNSUBSCRIBE for the rooms; each promise completes when Redis confirms its room. */
  private List<Promise<Void>> sendOnSubscriber(Command command, List<String> roomNames) {
    String kind = command == Command.SUBSCRIBE ? "subscribe" : "unsubscribe";
    Request request = Request.cmd(command);
    List<Promise<Void>> confirmations = new ArrayList<>(roomNames.size());
    for (String room : roomNames) {
      String channel = CHANNEL_PREFIX + room;
      request.arg(channel);
      Promise<Void> confirmed = Promise.promise();
      unconfirmed.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(new Pending(kind, confirmed));
      confirmations.add(confirmed);
    }
    // A pub/sub command's future completes once written; Redis confirms on the handler.
    subscriber.connection.send(request).onFailure(e -> confirmations.forEach(p -> p.tryFail(e)));
    return confirmations;
  }

  private void onPush(Response push) {
    if (push == null || (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) || push.size() < 2) {
      return;
    }
    String kind = push.get(0).toString();
    if ("message".equalsIgnoreCase(kind) && push.size() == 3) {
      deliver(push.get(1).toString(), push.get(2).toBytes());
    } else if ("subscribe".equalsIgnoreCase(kind) || "unsubscribe".equalsIgnoreCase(kind)) {
      confirm(kind.toLowerCase(), push.get(1).toString());
    }
  }

  private void deliver(String channel, byte[] payload) {
    if (!channel.startsWith(CHANNEL_PREFIX) || !rooms.contains(channel.substring(CHANNEL_PREFIX.length()))) {
      return; // unsubscribed meanwhile
    }
    Message message;
    try {
      message = json.readValue(payload, Message.class);
    } catch (Exception e) {
      log.warn("Dropped an unreadable message on {}: {}", channel, e.toString());
      return;
    }
    if (!channel.equals(CHANNEL_PREFIX + message.room())) {
      log.warn("Dropped a message for room {} published on {}", message.room(), channel);
      return;
    }
    try {
      sink.accept(message);
    } catch (RuntimeException e) {
      log.error("The broker's sink failed on a message of {}", message.room(), e);
    }
  }

  private void confirm(String kind, String channel) {
    ArrayDeque<Pending> queue = unconfirmed.get(channel);
    Pending pending = queue == null ? null : queue.poll();
    if (queue != null && queue.isEmpty()) {
      unconfirmed.remove(channel);
    }
    if (pending == null) {
      log.debug("Unexpected {} confirmation for {}", kind, channel);
      return;
    }
    if (!pending.kind.equals(kind)) {
      log.warn("Redis confirmed {} of {} where {} was expected", kind, channel, pending.kind);
    }
    pending.confirmed.tryComplete();
  }

  private void failUnconfirmed(Throwable cause) {
    List<Pending> all = new ArrayList<>();
    unconfirmed.values().forEach(all::addAll);
    unconfirmed.clear();
    all.forEach(p -> p.confirmed.tryFail(cause));
  }

  /** The subscriber is (back) up: subscribe to every room, then tell the listeners if it had been away. */
  private void subscriberUp() {
    boolean outage = subscriberHadOutage;
    subscriberHadOutage = false;
    List<String> wanted = List.copyOf(rooms);
    Map<String, List<Promise<Void>>> waiting = new HashMap<>(awaitingFirstConnection);
    awaitingFirstConnection.clear();
    waiting.forEach((room, promises) -> {
      if (!rooms.contains(room)) {
        promises.forEach(Promise::tryComplete); // unsubscribed before Redis was reached
      }
    });
    if (wanted.isEmpty()) {
      if (outage) {
        resubscribed();
      }
      return;
    }
    List<Promise<Void>> confirmations = sendOnSubscriber(Command.SUBSCRIBE, wanted);
    for (int i = 0; i < wanted.size(); i++) {
      List<Promise<Void>> callers = waiting.get(wanted.get(i));
      if (callers != null) {
        confirmations.get(i).future().onComplete(ar -> callers.forEach(p -> {
          if (ar.succeeded()) {
            p.tryComplete();
          } else {
            p.tryFail(ar.cause());
          }
        }));
      }
    }
    List<Future<Void>> all = new ArrayList<>();
    confirmations.forEach(p -> all.add(p.future()));
    Future.all(all).onComplete(ar -> {
      if (ar.succeeded() && outage) {
        log.info("Redis subscriber at {} is subscribed again to {} room(s)", endpoint, wanted.size());
        resubscribed();
      } // else the connection was lost again: the next one retries, with the outage still flagged
    });
  }

  private void resubscribed() {
    for (Runnable listener : resubscribedListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.error("A resubscription listener failed", e);
      }
    }
  }

  private void subscriberLost(Throwable cause) {
    subscriberHadOutage = true;
    failUnconfirmed(cause);
    awaitingFirstConnection.values().forEach(list -> list.forEach(p -> p.tryFail(cause)));
    awaitingFirstConnection.clear();
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs {@code action} on the context; fails {@code promise} when that is impossible. */
  private void onContext(Promise<?> promise, Runnable action) {
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

  private static <T> CompletionStage<T> stage(Future<T> future) {
    return future.timeout(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).toCompletionStage();
  }

  private IllegalStateException closedFailure() {
    return new IllegalStateException("the Redis broker is closed");
  }

  private static String withoutCredentials(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    } catch (RuntimeException e) {
      return "(the configured Redis)";
    }
  }

  private record Pending(String kind, Promise<Void> confirmed) {}

  /** One of the two connections, re-made with backoff whenever it is lost. */
  private final class Link {
    final String role;
    /** The established connection, or null while down. */
    RedisConnection connection;
    /** Commands made during the first attempt, in call order: sent when it succeeds, failed when it fails. */
    final List<Promise<RedisConnection>> waiters = new ArrayList<>();
    boolean attempted;
    boolean connecting;
    long retryMillis = FIRST_RETRY_MILLIS;
    long retryTimer = -1;
    Throwable lastFailure;

    Link(String role) {
      this.role = role;
    }

    boolean firstAttempt() {
      return !attempted;
    }

    IllegalStateException unavailable() {
      String why = lastFailure == null ? "connection lost" : lastFailure.toString();
      return new IllegalStateException("Redis at " + endpoint + " is unavailable (" + role + " connection: " + why + ")");
    }

    void connect() {
      retryTimer = -1;
      if (closed || connecting || connection != null) {
        return;
      }
      connecting = true;
      Promise<RedisConnection> ready = Promise.promise();
      redis.connect().onComplete(made -> {
        if (made.failed()) {
          ready.tryFail(made.cause());
          return;
        }
        RedisConnection c = made.result();
        if (closed || ready.future().isComplete()) { // closed or timed out meanwhile
          c.close();
          return;
        }
        boolean[] dead = {false};
        c.exceptionHandler(e -> {
          dead[0] = true;
          lost(c, e);
        });
        c.endHandler(v -> {
          dead[0] = true;
          lost(c, null);
        });
        if (this == subscriber) {
          c.handler(RedisBroker.this::onPush);
        }
        // Naming is best effort (ACLs may forbid it); it must come before SUBSCRIBE.
        c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName + "-" + role))
            .onComplete(named -> {
              if (dead[0]) {
                ready.tryFail(named.failed() ? named.cause() : new IllegalStateException("connection closed by Redis"));
              } else if (!ready.tryComplete(c)) {
                c.close();
              }
            });
      });
      long deadline = vertx.setTimer(CONNECT_TIMEOUT_MILLIS,
          t -> ready.tryFail(new IllegalStateException("no connection within " + CONNECT_TIMEOUT_MILLIS + " ms")));
      ready.future().onComplete(ar -> {
        vertx.cancelTimer(deadline);
        connecting = false;
        attempted = true;
        if (closed) {
          if (ar.succeeded()) {
            ar.result().close();
          }
          failWaiters(closedFailure());
          return;
        }
        if (ar.failed()) {
          if (lastFailure == null) {
            log.warn("Redis at {} is unreachable ({} connection): {}; retrying", endpoint, role, ar.cause().toString());
          } else {
            log.debug("Redis at {} still unreachable ({} connection): {}", endpoint, role, ar.cause().toString());
          }
          lastFailure = ar.cause();
          failWaiters(unavailable());
          if (this == subscriber) {
            subscriberLost(unavailable());
          }
          scheduleRetry();
          return;
        }
        connection = ar.result();
        if (lastFailure != null) {
          log.info("Redis at {} is reachable again ({} connection)", endpoint, role);
        }
        lastFailure = null;
        retryMillis = FIRST_RETRY_MILLIS;
        List<Promise<RedisConnection>> first = List.copyOf(waiters);
        waiters.clear();
        first.forEach(p -> p.tryComplete(connection));
        if (this == subscriber) {
          subscriberUp();
        }
      });
    }

    void lost(RedisConnection c, Throwable cause) {
      if (connection != c) {
        return; // an older connection, or one not yet adopted (its attempt fails instead)
      }
      connection = null;
      lastFailure = cause != null ? cause : new IllegalStateException("connection closed by Redis");
      c.close();
      if (closed) {
        return;
      }
      log.warn("Lost the {} connection to Redis at {}: {}; reconnecting", role, endpoint, lastFailure.toString());
      if (this == subscriber) {
        subscriberLost(unavailable());
      }
      scheduleRetry();
    }

    void scheduleRetry() {
      if (closed || retryTimer != -1) {
        return;
      }
      long delay = retryMillis;
      retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
      retryTimer = vertx.setTimer(delay, t -> connect());
    }

    void failWaiters(Throwable cause) {
      List<Promise<RedisConnection>> failing = List.copyOf(waiters);
      waiters.clear();
      failing.forEach(p -> p.tryFail(cause));
    }

    void shutDown() {
      if (retryTimer != -1) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
      }
      failWaiters(closedFailure());
      RedisConnection c = connection;
      connection = null;
      if (c != null) {
        c.close();
      }
    }
  }
}
