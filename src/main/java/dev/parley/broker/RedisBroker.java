package dev.parley.broker;

import dev.parley.chat.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a cluster: Redis pub/sub, one channel {@code parley:room:<room>} per room
 * carrying the room's messages and signals, and one channel {@code parley:users} that every
 * node receives, carrying renames. The payloads are JSON ({@link RedisPayload}).
 *
 * <p>Two connections ({@link RedisLink}): PUBLISH and PING go through one command connection,
 * in call order (so one node's messages of a room arrive in publish order); SUBSCRIBE and
 * UNSUBSCRIBE go through one subscriber connection, whose pushed messages reach the sinks on
 * this broker's Vert.x context, one at a time.
 *
 * <p><b>Outages.</b> A lost connection is made again by itself, with backoff. The subscriber
 * subscribes again to {@code parley:users} and to every room it had, then runs the
 * {@linkplain #onResubscribed listeners}: messages published while it was away are lost and
 * must be read from the store. While a connection is down, publish, signal, ping and
 * subscribe fail at once instead of waiting; every call fails after 2 s without an answer.
 * Only during the first connection attempt after construction do calls wait (at most those
 * 2 s) for it.
 *
 * <p><b>Rooms.</b> The broker keeps the set of rooms it was asked to receive: the last call
 * for a room wins ({@code unsubscribe(r)} then {@code subscribe(r)} leaves it subscribed), as
 * with {@link InProcessBroker}. A message or signal of a room not in the set is never
 * delivered.
 */
public final class RedisBroker implements Broker {
  /** Channel of a room's messages and signals: this prefix and the room's name. */
  public static final String CHANNEL_PREFIX = "parley:room:";
  /** Channel of the signals without a room (renames), which every node receives. */
  public static final String USERS_CHANNEL = "parley:users";

  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  private final RedisSession session;
  private final List<Runnable> resubscribedListeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<Message> sink = m -> {};
  private volatile Consumer<Signal> signalSink = s -> {};

  // Everything below is touched on the session's context only.
  private final RedisLink commands;
  private final RedisLink subscriber;
  /** Rooms this node wants to receive. */
  private final Set<String> rooms = new LinkedHashSet<>();
  /** Per channel, the SUBSCRIBE/UNSUBSCRIBE sent on the subscriber and not yet confirmed, in order. */
  private final Map<String, ArrayDeque<Pending>> unconfirmed = new HashMap<>();
  /** Completes when the subscriber first listens to the users channel; fails if it is lost before. */
  private final Promise<Void> listening = Promise.promise();
  /** subscribe() calls made before the first subscriber connection, per room. */
  private final Map<String, List<Promise<Void>>> awaitingFirstConnection = new HashMap<>();

  /**
   * A broker on the Redis server at {@code redisUrl} ({@code redis://[[user]:password@]host:port[/db]}).
   * Starts connecting at once; does not wait for it.
   */
  public RedisBroker(Vertx vertx, String redisUrl) {
    this.session = new RedisSession(vertx, redisUrl, "broker");
    this.commands = session.link("cmd", null, (connection, afterOutage) -> {});
    this.subscriber = session.link("sub", this::onPush, new RedisLink.Listener() {
      @Override
      public void up(RedisConnection connection, boolean afterOutage) {
        subscriberUp(afterOutage);
      }

      @Override
      public void down(IllegalStateException cause) {
        subscriberLost(cause);
      }
    });
    session.context.runOnContext(v -> {
      commands.connect();
      subscriber.connect();
    });
  }

  /**
   * Runs {@code listener} each time the subscriber connection is back after it was lost (or
   * could not be made) and every channel is subscribed again: what was published meanwhile did
   * not arrive. Runs on the broker's context; it must not block.
   */
  @Override
  public void onResubscribed(Runnable listener) {
    resubscribedListeners.add(listener);
  }

  /** The prefix of the names this broker gives its connections ({@code CLIENT LIST}): {@code <prefix>-cmd}, {@code <prefix>-sub}. */
  public String clientName() {
    return session.clientName;
  }

  @Override
  public void start(Consumer<Message> sink) {
    this.sink = sink;
  }

  @Override
  public void onSignal(Consumer<Signal> sink) {
    this.signalSink = sink;
  }

  @Override
  public CompletionStage<Void> subscribe(String room) {
    Promise<Void> done = Promise.promise();
    session.run(done, () -> {
      rooms.add(room);
      if (subscriber.connection() != null) {
        sendOnSubscriber(Command.SUBSCRIBE, List.of(CHANNEL_PREFIX + room)).get(0).future().onComplete(done);
      } else if (subscriber.firstAttempt()) {
        awaitingFirstConnection.computeIfAbsent(room, r -> new ArrayList<>()).add(done);
      } else {
        done.fail(subscriber.unavailable());
      }
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Void> unsubscribe(String room) {
    Promise<Void> done = Promise.promise();
    session.run(done, () -> {
      rooms.remove(room);
      if (subscriber.connection() != null) {
        sendOnSubscriber(Command.UNSUBSCRIBE, List.of(CHANNEL_PREFIX + room)).get(0).future().onComplete(done);
      } else {
        done.complete(); // nothing is subscribed on Redis; the set decides after reconnecting
      }
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public CompletionStage<Void> publish(Message message) {
    byte[] payload;
    try {
      payload = RedisPayload.encode(message);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return RedisSession.stage(command(Request.cmd(Command.PUBLISH).arg(CHANNEL_PREFIX + message.room()).arg(payload)).mapEmpty());
  }

  /** Publishes on the room's channel, or on {@link #USERS_CHANNEL} for a signal without a room. */
  @Override
  public CompletionStage<Void> signal(Signal signal) {
    byte[] payload;
    try {
      payload = RedisPayload.encode(signal);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    String channel = signal.room() == null ? USERS_CHANNEL : CHANNEL_PREFIX + signal.room();
    return RedisSession.stage(command(Request.cmd(Command.PUBLISH).arg(channel).arg(payload)).mapEmpty());
  }

  /**
   * PING on the command connection; fails as well while the subscriber is down, since then
   * this node hears nothing. The first time, completes only once the subscriber listens (to
   * {@link #USERS_CHANNEL} at least): from then on, a signal sent reaches this node.
   */
  @Override
  public CompletionStage<Void> ping() {
    Promise<Void> done = Promise.promise();
    session.run(done, () -> {
      if (subscriber.connection() == null && !subscriber.firstAttempt()) {
        done.fail(subscriber.unavailable());
        return;
      }
      Future<Void> ready = listening.future().isComplete() ? Future.succeededFuture() : listening.future();
      ready.compose(v -> commands.send(Request.cmd(Command.PING))).<Void>mapEmpty().onComplete(done);
    });
    return RedisSession.stage(done.future());
  }

  @Override
  public void close() {
    session.close(() -> {
      commands.shutDown();
      subscriber.shutDown();
      failUnconfirmed(session.closedFailure());
      awaitingFirstConnection.values().forEach(list -> list.forEach(p -> p.tryFail(session.closedFailure())));
      awaitingFirstConnection.clear();
      listening.tryFail(session.closedFailure());
      session.closeClient();
    });
  }

  private Future<Response> command(Request request) {
    Promise<Response> answered = Promise.promise();
    session.run(answered, () -> commands.send(request).onComplete(answered));
    return answered.future();
  }

  // ---------------------------------------------------------------- subscriber

  /** Sends SUBSCRIBE or UNSUBSCRIBE for the channels; each promise completes when Redis confirms its channel. */
  private List<Promise<Void>> sendOnSubscriber(Command command, List<String> channels) {
    String kind = command == Command.SUBSCRIBE ? "subscribe" : "unsubscribe";
    Request request = Request.cmd(command);
    List<Promise<Void>> confirmations = new ArrayList<>(channels.size());
    for (String channel : channels) {
      request.arg(channel);
      Promise<Void> confirmed = Promise.promise();
      unconfirmed.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(new Pending(kind, confirmed));
      confirmations.add(confirmed);
    }
    // A pub/sub command's future completes once written; Redis confirms on the handler.
    subscriber.connection().send(request).onFailure(e -> confirmations.forEach(p -> p.tryFail(e)));
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
    boolean users = channel.equals(USERS_CHANNEL);
    if (!users && (!channel.startsWith(CHANNEL_PREFIX) || !rooms.contains(channel.substring(CHANNEL_PREFIX.length())))) {
      return; // unsubscribed meanwhile
    }
    String room = users ? null : channel.substring(CHANNEL_PREFIX.length());
    Object decoded;
    try {
      decoded = RedisPayload.decode(payload);
    } catch (Exception e) {
      log.warn("Dropped an unreadable payload on {}: {}", channel, e.toString());
      return;
    }
    if (decoded instanceof Signal signal) {
      if (!Objects.equals(room, signal.room())) {
        log.warn("Dropped a signal for room {} published on {}", signal.room(), channel);
        return;
      }
      hand(signalSink, signal, "signal");
    } else if (decoded instanceof Message message) {
      if (users || !room.equals(message.room())) {
        log.warn("Dropped a message for room {} published on {}", message.room(), channel);
        return;
      }
      hand(sink, message, "message");
    }
  }

  private static <T> void hand(Consumer<T> to, T item, String what) {
    try {
      to.accept(item);
    } catch (RuntimeException e) {
      log.error("The broker's {} sink failed on {}", what, item, e);
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

  /** The subscriber is (back) up: subscribe to the users channel and every room, then tell the listeners if it had been away. */
  private void subscriberUp(boolean outage) {
    List<String> wanted = List.copyOf(rooms);
    Map<String, List<Promise<Void>>> waiting = new HashMap<>(awaitingFirstConnection);
    awaitingFirstConnection.clear();
    waiting.forEach((room, promises) -> {
      if (!rooms.contains(room)) {
        promises.forEach(Promise::tryComplete); // unsubscribed before Redis was reached
      }
    });
    List<String> channels = new ArrayList<>(wanted.size() + 1);
    channels.add(USERS_CHANNEL);
    wanted.forEach(room -> channels.add(CHANNEL_PREFIX + room));
    List<Promise<Void>> confirmations = sendOnSubscriber(Command.SUBSCRIBE, channels);
    confirmations.get(0).future().onSuccess(v -> listening.tryComplete());
    for (int i = 0; i < wanted.size(); i++) {
      List<Promise<Void>> callers = waiting.get(wanted.get(i));
      if (callers != null) {
        confirmations.get(i + 1).future().onComplete(ar -> callers.forEach(p -> {
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
        log.info("Redis subscriber at {} is subscribed again to {} room(s)", session.endpoint, wanted.size());
        resubscribed();
      } // else the connection was lost again: the link flags the outage for the next one
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
    listening.tryFail(cause);
    failUnconfirmed(cause);
    awaitingFirstConnection.values().forEach(list -> list.forEach(p -> p.tryFail(cause)));
    awaitingFirstConnection.clear();
  }

  private record Pending(String kind, Promise<Void> confirmed) {}
}
