package dev.parley.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defends plain HTTP connections (the page, the API, health, metrics, and every connection
 * until it becomes a WebSocket) against a client that holds them open for nothing.
 *
 * <p><b>Timeouts.</b> A new connection must deliver a complete request head within
 * {@link HttpLimits#headerTimeoutMillis} (10 s), and a keep-alive connection must deliver its
 * next one within {@link HttpLimits#idleTimeoutMillis} (60 s) of the last response; otherwise
 * it is closed. A request asking for a WebSocket must get its {@code 101} within the header
 * timeout too (Vert.x waits for the request's whole body, up to 8 KiB, before upgrading, so a
 * trickled body would otherwise hold it forever). Once upgraded, the connection is left to the
 * WebSocket heartbeat ({@code Connection.heartbeat}) and never touched here again.
 *
 * <p>Why a timer per connection and not {@code HttpServerOptions.setIdleTimeout}: that is one
 * timeout for the connection's whole life. Its handler stays in the channel pipeline after the
 * upgrade, so it would also close a WebSocket that is rightly silent between the server's pings
 * for longer than it ({@code LimitsHttpTimeoutTest} shows it does), and it cannot give a new
 * connection 10 s for its head while letting a keep-alive one wait 60 s for the next. Here the
 * timer is armed when the connection opens, cancelled when a complete request head arrives,
 * armed again when the response ends, and dropped when the connection upgrades.
 *
 * <p><b>Per-address cap.</b> Every TCP connection counts as plain HTTP from its accept until
 * its upgrade request arrives; from then on {@link UpgradeGate} counts it (as a WebSocket, or
 * refuses it with 429), so no connection is counted twice. A refused upgrade leaves the
 * connection plain HTTP, and it counts here again. A new connection from an address that
 * already holds {@link HttpLimits#maxConnsPerIp} is closed at once, before anything is read:
 * answering {@code 429} would mean keeping it open until a request arrives, which is the very
 * resource the cap protects, and no browser needs more than 6 connections to one host.
 *
 * <p>This relies on {@code HttpServerOptions.setHttp2ClearTextEnabled(false)} ({@link ChatServer}):
 * with h2c on, Vert.x makes the connection, and calls the connection handler, only once the
 * first bytes have told HTTP/1.1 from HTTP/2, so a client that sends nothing (and, in our
 * tests, one that trickles its head) escapes both the timer and the count. Over TLS the
 * connection handler runs once the TLS handshake is done, which Vert.x itself bounds to 10 s.
 *
 * <p>Used on the hub's event loop only (the server's connections, requests and timers all run
 * there).
 */
final class HttpConnectionGuard {
  private static final Logger log = LoggerFactory.getLogger(HttpConnectionGuard.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Vertx vertx;
  private final HttpLimits limits;
  /** Connections not known to have upgraded, counted or not. */
  private final Map<HttpConnection, Tracked> connections = new IdentityHashMap<>();
  /** Counted (plain HTTP) connections per client address. */
  private final Map<String, Integer> open = new HashMap<>();
  private int counted;
  private final Counter refused;
  private final Counter timedOut;
  private long refusedUnlogged;
  private long lastLog;
  private boolean logged;

  /** One connection: its address, its one timer, whether it counts as plain HTTP now. */
  private static final class Tracked {
    final HttpConnection connection;
    final String ip;
    long timer = -1;
    int inFlight;
    boolean counted;
    boolean closed;

    Tracked(HttpConnection connection, String ip) {
      this.connection = connection;
      this.ip = ip;
    }
  }

  HttpConnectionGuard(Vertx vertx, HttpLimits limits, MeterRegistry registry) {
    this.vertx = vertx;
    this.limits = limits;
    refused = Counter.builder("parley.http.connections.refused")
        .description("New plain HTTP connections closed at once: their address held too many").register(registry);
    timedOut = Counter.builder("parley.http.timeouts")
        .description("Plain HTTP connections closed for not completing a request (or a handshake) in time")
        .register(registry);
    Gauge.builder("parley.http.connections", this, g -> g.counted)
        .description("Open plain HTTP connections (not WebSockets)").register(registry);
  }

  /** A new TCP connection (for HTTP/1.1, at once; over TLS, after the TLS handshake). */
  void opened(HttpConnection connection) {
    String ip = address(connection);
    if (limits.maxConnsPerIp() > 0 && open.getOrDefault(ip, 0) >= limits.maxConnsPerIp()) {
      refuse(ip);
      connection.close();
      return;
    }
    Tracked t = new Tracked(connection, ip);
    connections.put(connection, t);
    connection.closeHandler(v -> closed(t));
    count(t);
    arm(t, limits.headerTimeoutMillis());
  }

  /** The first route of every request: its head is complete. */
  void request(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Tracked t = connections.get(request.connection());
    if (t != null && !t.closed) {
      cancel(t);
      t.inFlight++;
      if (request.canUpgradeToWebSocket()) {
        // UpgradeGate counts it from here; the handshake must still finish in time.
        if (t.counted) {
          uncount(t);
        }
        t.timer = vertx.setTimer(limits.headerTimeoutMillis(), id -> {
          t.timer = -1;
          handshakeDue(t, request);
        });
      }
      ctx.addEndHandler(done -> responded(t, done.succeeded()));
    }
    ctx.next();
  }

  /**
   * The connection became a WebSocket, served from now on outside Vert.x (see {@link Connection}):
   * it is forgotten at once, so that nothing here keeps Vert.x's request, response and connection
   * objects alive for as long as the socket lives.
   */
  void upgraded(HttpConnection connection) {
    Tracked t = connections.remove(connection);
    if (t == null) {
      return;
    }
    cancel(t);
    t.closed = true; // its end handler, if it ever runs, does nothing
    connection.closeHandler(null);
  }

  private void handshakeDue(Tracked t, HttpServerRequest request) {
    if (t.closed) {
      return;
    }
    if (!request.response().ended()) {
      expire(t); // an upgrade that succeeded was forgotten at once (upgraded); a refused one is plain HTTP
    }
  }

  private void responded(Tracked t, boolean ended) {
    if (t.closed) {
      return;
    }
    t.inFlight = Math.max(0, t.inFlight - 1);
    if (!ended) {
      return; // the connection failed; its close handler follows
    }
    if (!t.counted) {
      count(t); // an upgrade was refused: the connection goes on as plain HTTP
    }
    if (t.inFlight == 0) {
      cancel(t);
      arm(t, limits.idleTimeoutMillis());
    }
  }

  private void closed(Tracked t) {
    t.closed = true;
    cancel(t);
    if (t.counted) {
      uncount(t);
    }
    connections.remove(t.connection);
  }

  private void arm(Tracked t, long millis) {
    t.timer = vertx.setTimer(millis, id -> {
      t.timer = -1;
      if (!t.closed) {
        expire(t);
      }
    });
  }

  private void cancel(Tracked t) {
    if (t.timer != -1) {
      vertx.cancelTimer(t.timer);
      t.timer = -1;
    }
  }

  private void expire(Tracked t) {
    timedOut.increment();
    t.connection.close();
  }

  private void count(Tracked t) {
    t.counted = true;
    counted++;
    open.merge(t.ip, 1, Integer::sum);
  }

  private void uncount(Tracked t) {
    t.counted = false;
    counted--;
    open.computeIfPresent(t.ip, (a, n) -> n > 1 ? n - 1 : null);
  }

  private void refuse(String ip) {
    refused.increment();
    refusedUnlogged++;
    long now = System.nanoTime();
    if (!logged || now - lastLog >= LOG_EVERY_NANOS) {
      log.warn("Closed {} new HTTP connection(s) at once: their address already held {}, the most allowed "
          + "(--max-http-conns-per-ip); the last from {}", refusedUnlogged, limits.maxConnsPerIp(), ip);
      logged = true;
      lastLog = now;
      refusedUnlogged = 0;
    }
  }

  private static String address(HttpConnection connection) {
    return connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
  }
}
