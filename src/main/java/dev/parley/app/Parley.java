package dev.parley.app;

import dev.parley.broker.Broker;
import dev.parley.broker.NameLeases;
import dev.parley.broker.Presence;
import dev.parley.store.MessageStore;
import dev.parley.web.ChatServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Parley node: the wiring of store, broker and server, and their orderly shutdown. */
public final class Parley {
  private static final Logger log = LoggerFactory.getLogger(Parley.class);

  private final Vertx vertx;
  private final MessageStore store;
  /** The cluster adapters (broker, presence, name leases), closed before Vert.x. */
  private final List<AutoCloseable> cluster;
  private final ChatServer server;
  private final Settings settings;
  private final CountDownLatch terminated = new CountDownLatch(1);

  private Parley(Vertx vertx, MessageStore store, List<AutoCloseable> cluster, ChatServer server, Settings settings) {
    this.vertx = vertx;
    this.store = store;
    this.cluster = cluster;
    this.server = server;
    this.settings = settings;
  }

  /** Starts a node; the future fails, with everything released, if it cannot serve. */
  public static Future<Parley> start(Settings settings) {
    MessageStore store;
    try {
      store = Adapters.store(settings);
    } catch (RuntimeException e) {
      log.error("Parley could not open its store: {}", e.getMessage());
      return Future.failedFuture(e);
    }
    // Netty's epoll transport when the platform has it (the jar carries it for Linux x86-64):
    // fewer system calls and less garbage per socket than NIO; NIO elsewhere.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    log.info("Network transport: {}", vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
    Broker broker = Adapters.broker(settings, vertx);
    Presence presence = Adapters.presence(settings, vertx);
    NameLeases leases = Adapters.leases(settings, vertx);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ChatServer server = new ChatServer(new MeteredStore(store, registry), broker, presence, leases, settings.web(),
        registry);
    Promise<Parley> started = Promise.promise();
    vertx.deployVerticle(server).onComplete(deployed -> {
      if (deployed.failed()) {
        log.error("Parley could not start: {}", deployed.cause().getMessage());
        broker.close();
        presence.close();
        leases.close();
        store.close();
        vertx.close();
        started.fail(deployed.cause());
        return;
      }
      String host = settings.web().host();
      String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
      boolean tls = settings.web().secure();
      log.info("Parley is serving: open {}://{}:{}/ in a browser (plain WebSocket chat at {}://{}:{}/chat)",
          tls ? "https" : "http", shown, server.port(), tls ? "wss" : "ws", shown, server.port());
      Housekeeping.start(vertx, store, settings.retainDays(), settings.retainMessages());
      started.complete(new Parley(vertx, store, List.of(broker, presence, leases), server, settings));
    });
    return started.future();
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /**
   * Stops: refuses new connections, lets sends already received finish, closes every socket
   * with 1001, then releases the store and broker. Bounded by the configured shutdown time.
   */
  public void shutdown() {
    if (terminated.getCount() == 0) {
      return;
    }
    long budget = settings.web().shutdownMillis();
    try {
      server.drain().toCompletionStage().toCompletableFuture().get(budget / 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Shutdown: sockets did not all close in time ({})", e.toString());
    }
    for (AutoCloseable adapter : cluster) {
      try {
        adapter.close(); // before Vert.x, so that it does not try to reconnect
      } catch (Exception e) {
        log.warn("Shutdown: {} did not close cleanly ({})", adapter.getClass().getSimpleName(), e.toString());
      }
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(budget / 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Shutdown: Vert.x did not stop in time ({})", e.toString());
    }
    store.close();
    log.info("Parley stopped");
    terminated.countDown();
  }

  /** Blocks until {@link #shutdown()} has finished. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }
}
