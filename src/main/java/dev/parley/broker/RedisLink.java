package dev.parley.broker;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link RedisSession}, made again whenever it is lost: after 100 ms, then
 * after twice as long each failed attempt, up to 2 s. Confined to the session's context: every
 * method is called there, and the listener runs there.
 *
 * <p>While the connection is down, {@link #send} fails at once naming the cause. Only during
 * the first attempt after construction does it wait (its commands are sent, in call order, when
 * that attempt succeeds).
 */
final class RedisLink {
  static final long FIRST_RETRY_MILLIS = 100;
  static final long MAX_RETRY_MILLIS = 2_000;
  private static final long CONNECT_TIMEOUT_MILLIS = 3_000;
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  /** What the owner does when the connection comes and goes; called on the context. */
  interface Listener {
    /**
     * The connection is established. {@code afterOutage}: an earlier connection was lost, or
     * an attempt failed, since the last time it was up (or since construction).
     */
    void up(RedisConnection connection, boolean afterOutage);

    /** A connection attempt failed, or the connection was lost; {@code cause} names it. */
    default void down(IllegalStateException cause) {}
  }

  private final RedisSession session;
  private final String role;
  private final Handler<Response> pushes;
  private final Listener listener;
  /** The established connection, or null while down. */
  private RedisConnection connection;
  /** Commands made during the first attempt, in call order: sent when it succeeds, failed when it fails. */
  private final List<Promise<RedisConnection>> waiters = new ArrayList<>();
  private boolean attempted;
  private boolean connecting;
  private boolean hadOutage;
  private long retryMillis = FIRST_RETRY_MILLIS;
  private long retryTimer = -1;
  private Throwable lastFailure;

  RedisLink(RedisSession session, String role, Handler<Response> pushes, Listener listener) {
    this.session = session;
    this.role = role;
    this.pushes = pushes;
    this.listener = listener;
  }

  /** The established connection, or null while down. */
  RedisConnection connection() {
    return connection;
  }

  /** Whether the first connection attempt is still under way. */
  boolean firstAttempt() {
    return !attempted;
  }

  /** The failure a call gets while the connection is down. */
  IllegalStateException unavailable() {
    String why = lastFailure == null ? "connection lost" : lastFailure.toString();
    return new IllegalStateException("Redis at " + session.endpoint + " is unavailable (" + role + " connection: " + why + ")");
  }

  /** Sends the command now; during the first attempt, once connected; while down, fails at once. */
  Future<Response> send(Request request) {
    if (session.closed()) {
      return Future.failedFuture(session.closedFailure());
    }
    if (connection != null) {
      return connection.send(request);
    }
    if (!firstAttempt()) {
      return Future.failedFuture(unavailable());
    }
    Promise<RedisConnection> up = Promise.promise();
    waiters.add(up);
    return up.future().compose(c -> c.send(request));
  }

  /** Starts connecting, unless connected, connecting, or closed. */
  void connect() {
    retryTimer = -1;
    if (session.closed() || connecting || connection != null) {
      return;
    }
    connecting = true;
    Promise<RedisConnection> ready = Promise.promise();
    session.redis.connect().onComplete(made -> {
      if (made.failed()) {
        ready.tryFail(made.cause());
        return;
      }
      RedisConnection c = made.result();
      if (session.closed() || ready.future().isComplete()) { // closed or timed out meanwhile
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
      if (pushes != null) {
        c.handler(pushes);
      }
      // Naming is best effort (ACLs may forbid it); on a subscriber it must come before SUBSCRIBE.
      c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(session.clientName + "-" + role))
          .onComplete(named -> {
            if (dead[0]) {
              ready.tryFail(named.failed() ? named.cause() : new IllegalStateException("connection closed by Redis"));
            } else if (!ready.tryComplete(c)) {
              c.close();
            }
          });
    });
    long deadline = session.vertx.setTimer(CONNECT_TIMEOUT_MILLIS,
        t -> ready.tryFail(new IllegalStateException("no connection within " + CONNECT_TIMEOUT_MILLIS + " ms")));
    ready.future().onComplete(ar -> {
      session.vertx.cancelTimer(deadline);
      connecting = false;
      attempted = true;
      if (session.closed()) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        failWaiters(session.closedFailure());
        return;
      }
      if (ar.failed()) {
        if (lastFailure == null) {
          log.warn("Redis at {} is unreachable ({} connection): {}; retrying", session.endpoint, role, ar.cause().toString());
        } else {
          log.debug("Redis at {} still unreachable ({} connection): {}", session.endpoint, role, ar.cause().toString());
        }
        lastFailure = ar.cause();
        hadOutage = true;
        failWaiters(unavailable());
        listener.down(unavailable());
        scheduleRetry();
        return;
      }
      connection = ar.result();
      if (lastFailure != null) {
        log.info("Redis at {} is reachable again ({} connection)", session.endpoint, role);
      }
      lastFailure = null;
      retryMillis = FIRST_RETRY_MILLIS;
      boolean outage = hadOutage;
      hadOutage = false;
      List<Promise<RedisConnection>> first = List.copyOf(waiters);
      waiters.clear();
      first.forEach(p -> p.tryComplete(connection));
      listener.up(connection, outage);
    });
  }

  /** Closes the connection at once, without waiting for what is in flight, and stops reconnecting. */
  void shutDown() {
    if (retryTimer != -1) {
      session.vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    failWaiters(session.closedFailure());
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  /**
   * Sends a last command, if connected (the session may already be closed), then shuts down
   * once it is answered, or after {@link RedisSession#COMMAND_TIMEOUT_MILLIS}.
   */
  Future<Void> shutDownAfter(Request last) {
    RedisConnection c = connection;
    if (c == null) {
      shutDown();
      return Future.succeededFuture();
    }
    return c.send(last)
        .timeout(RedisSession.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .<Void>transform(ar -> {
          if (ar.failed()) {
            log.debug("The last {} command before closing failed: {}", role, ar.cause().toString());
          }
          shutDown();
          return Future.succeededFuture();
        });
  }

  private void lost(RedisConnection c, Throwable cause) {
    if (connection != c) {
      return; // an older connection, or one not yet adopted (its attempt fails instead)
    }
    connection = null;
    hadOutage = true;
    lastFailure = cause != null ? cause : new IllegalStateException("connection closed by Redis");
    if (cause != null) {
      // After an exception the connection may still be open: close it. After its end it is
      // closed already, and closing it again trips an assertion inside the Redis client.
      c.close();
    }
    if (session.closed()) {
      return;
    }
    log.warn("Lost the {} connection to Redis at {}: {}; reconnecting", role, session.endpoint, lastFailure.toString());
    listener.down(unavailable());
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (session.closed() || retryTimer != -1) {
      return;
    }
    long delay = retryMillis;
    retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
    retryTimer = session.vertx.setTimer(delay, t -> connect());
  }

  private void failWaiters(Throwable cause) {
    List<Promise<RedisConnection>> failing = List.copyOf(waiters);
    waiters.clear();
    failing.forEach(p -> p.tryFail(cause));
  }
}
