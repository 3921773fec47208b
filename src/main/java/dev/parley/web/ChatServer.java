package dev.parley.web;

import dev.parley.broker.Broker;
import dev.parley.broker.NameLeases;
import dev.parley.broker.Presence;
import dev.parley.chat.ChatHub;
import dev.parley.chat.RoomNames;
import dev.parley.store.MessageStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: one verticle whose event loop carries the hub and every HTTP request, so that
 * none of them needs a lock. WebSockets are handed to socket loops after their handshake (the
 * hub's loop and others, one per core by default), which write the hub's broadcasts in parallel
 * (see {@link Connection} and {@link Outbox}).
 */
public final class ChatServer extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
  /**
   * Netty's own limit on one frame, above {@code --max-frame}: the message assembler enforces
   * {@code --max-frame} and closes with a proper 1009 handshake, where Netty would drop the
   * connection at once (and the client would often see a reset, not 1009).
   */
  private static final int NETTY_FRAME_LIMIT = 1024 * 1024;

  private final MessageStore store;
  private final Broker broker;
  private final Presence presence;
  private final NameLeases leases;
  private final WebConfig config;
  private final PrometheusMeterRegistry registry;
  private Heartbeat<Connection> connections;
  private ChatHub hub;
  private HttpServer server;
  private UpgradeGate gate;
  private OriginPolicy origins;
  private SessionCookies cookies;
  private WebMetrics metrics;
  private final Protocol json = new JsonProtocol();
  private final Protocol plainText = new PlainProtocol();
  /** The loops that serve sockets (the hub's first), each with its flusher; sockets are dealt out in turn. */
  private final List<EventLoop> socketLoops = new ArrayList<>();
  private final Map<EventLoop, TurnFlusher> flushers = new IdentityHashMap<>();
  private int nextLoop;
  private Outbox outbox;
  private EventLoop hubLoop;
  private HttpConnectionGuard guard;
  private Executor hubThread;
  private TextFrames frames;
  private volatile boolean stopping;

  public ChatServer(MessageStore store, Broker broker, Presence presence, NameLeases leases, WebConfig config,
      PrometheusMeterRegistry registry) {
    this.store = store;
    this.broker = broker;
    this.presence = presence;
    this.leases = leases;
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    hubThread = task -> context.runOnContext(v -> task.run());
    hubLoop = ((ContextInternal) context).nettyEventLoop();
    for (EventLoop loop : SocketLoops.pick(hubLoop, ((VertxInternal) vertx).nettyEventLoopGroup(),
        config.socketLoopCount())) {
      socketLoops.add(loop);
      flushers.put(loop, new TurnFlusher(loop));
    }
    outbox = new Outbox(hubLoop);
    log.debug("Sockets are served by {} event loops", socketLoops.size());
    hub = new ChatHub(store, broker, presence, leases, config.chatLimits(), new VertxScheduler(vertx), hubThread,
        config.leaveGraceMillis());
    gate = new UpgradeGate(config.webLimits());
    origins = new OriginPolicy(config.allowedOrigins());
    long ping = config.webLimits().pingMillis();
    connections = new Heartbeat<>(ping * 1_000_000L);
    metrics = new WebMetrics(registry, () -> connections.size());
    frames = new TextFrames(PooledByteBufAllocator.DEFAULT);
    Readiness readiness = new Readiness(vertx, store, broker, () -> stopping);
    return Future.fromCompletionStage(store.createRoom(RoomNames.GENERAL).thenCompose(v -> store.secret()), context)
        .compose(secret -> {
          cookies = new SessionCookies(secret);
          guard = new HttpConnectionGuard(vertx, config.webLimits().http(), registry);
          HttpRoutes routes = new HttpRoutes(vertx, store, hub, cookies, readiness, registry, guard, this::upgrade);
          HttpServerOptions options = new HttpServerOptions()
              .setHost(config.host())
              .setPort(config.port())
              .setMaxWebSocketFrameSize(Math.max(config.webLimits().maxFrame(), NETTY_FRAME_LIMIT))
              .setPerMessageWebSocketCompressionSupported(false)
              .setPerFrameWebSocketCompressionSupported(false)
              // HTTP/1.1 only: with h2c, Vert.x makes no connection (so HttpConnectionGuard sees none) until bytes arrive.
              .setHttp2ClearTextEnabled(false);
          if (config.tls() != null) {
            // The same port then speaks only TLS: https:// for the page and API, wss:// for sockets.
            options.setSsl(true).setKeyCertOptions(config.tls().load(vertx));
          }
          server = vertx.createHttpServer(options).connectionHandler(guard::opened).requestHandler(routes.router());
          return server.listen();
        })
        .onSuccess(s -> {
          long tick = Heartbeat.tickMillis(ping);
          vertx.setPeriodic(tick, tick, t -> connections.tick(System.nanoTime(), this::beat));
          vertx.setPeriodic(ping, ping, t -> gate.sweep(System.nanoTime()));
        });
  }

  /** The port the server listens on (useful when it was started on port 0). */
  public int port() {
    return server.actualPort();
  }

  private boolean beat(Connection connection, long now) {
    return connection.heartbeat(now, config.webLimits().deadMillis() * 1_000_000L);
  }

  /** Checks an upgrade request to {@code /ws} or {@code /chat} and, if it passes, opens the socket. */
  private void upgrade(HttpServerRequest request, boolean plain) {
    if (!request.canUpgradeToWebSocket()) {
      request.response().setStatusCode(400).end("This endpoint expects a WebSocket upgrade.\n");
      return;
    }
    if (stopping) {
      refuse(request, 503, "The server is shutting down; connect again in a moment.\n");
      return;
    }
    if (!origins.permits(request.getHeader("Origin"), request.getHeader("Host"), request.isSSL())) {
      refuse(request, 403, "WebSocket connections from other sites are not allowed.\n");
      return;
    }
    String ip = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    UpgradeGate.Verdict verdict = gate.admit(ip, System.nanoTime());
    if (verdict != UpgradeGate.Verdict.ALLOWED) {
      request.response().putHeader("Retry-After", "1");
      refuse(request, 429, verdict == UpgradeGate.Verdict.TOO_FAST
          ? "Too many connection attempts from your address; slow down.\n"
          : "Too many open connections from your address.\n");
      return;
    }
    Optional<String> sid = Optional.ofNullable(request.getCookie(SessionCookies.NAME))
        .flatMap(c -> cookies.verify(c.getValue()));
    // After the handshake the socket is served straight on Netty (see Connection); Vert.x does not
    // expose the upgraded socket's channel, but the request's connection is the same TCP connection.
    HttpConnection http = request.connection();
    Channel channel = ((ConnectionBase) http).channel();
    request.toWebSocket().onComplete(done -> {
      if (done.failed()) {
        gate.closed(ip);
        return;
      }
      guard.upgraded(http);
      Connection connection = new Connection(channel, plain ? plainText : json, hub,
          config.webLimits(), metrics, frames, outbox, hubLoop, hubThread, System.nanoTime(), gone -> {
            gate.closed(ip);
            connections.remove(gone);
          });
      connections.add(connection, System.nanoTime());
      EventLoop loop = socketLoops.get(nextLoop++ % socketLoops.size());
      connection.start(sid.orElse(null), loop, flushers.get(loop));
    });
  }

  private void refuse(HttpServerRequest request, int status, String words) {
    metrics.upgradesRefused.increment();
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(words);
  }

  /**
   * Stops serving: readiness turns 503, new upgrades get 503, sends already received are
   * acknowledged, then every socket is closed with 1001.
   */
  public Future<Void> drain() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      hub.beginShutdown();
      log.info("Shutting down: closing {} connections", connections.size());
      hub.sendsSettled().whenComplete((ok, e) -> context.runOnContext(x -> {
        for (Connection c : connections.all()) {
          c.close(1001, "server going away");
        }
        // The sockets' departures reach the cluster before the node lets go of it.
        context.runOnContext(y -> hub.presenceSettled().whenComplete((settled, f) -> done.tryComplete()));
      }));
    });
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (frames != null) {
      frames.release();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
