package dev.parley.testing;

import dev.parley.broker.InProcessBroker;
import dev.parley.broker.InProcessNameLeases;
import dev.parley.broker.InProcessPresence;
import dev.parley.chat.Limits;
import dev.parley.store.MessageStore;
import dev.parley.web.ChatServer;
import dev.parley.web.WebConfig;
import dev.parley.web.WebLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChatServer} in this process on a free port, over a store the test supplies (e.g.
 * {@link HeldAppendStore}), with the single-node broker, presence and name leases. Unlike
 * {@link TestServer} it hands out {@link #drain()}, so a test can open the shutdown window and
 * look inside it before the rest of the shutdown runs.
 */
public final class StoreServer implements AutoCloseable {
  private final Vertx vertx;
  private final MessageStore store;
  private final ChatServer server;

  private StoreServer(Vertx vertx, MessageStore store, ChatServer server) {
    this.vertx = vertx;
    this.store = store;
    this.server = server;
  }

  /** Starts a node with the same configuration as {@link TestServer#start()}, over {@code store}. */
  public static StoreServer start(MessageStore store) {
    WebConfig web = new WebConfig("127.0.0.1", 0, Set.of(), Limits.defaults(), WebLimits.defaults(), 0, 5000, null);
    Vertx vertx = Vertx.vertx();
    ChatServer server = new ChatServer(store, new InProcessBroker(), new InProcessPresence(), new InProcessNameLeases(),
        web, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the test server did not start", e);
    }
    return new StoreServer(vertx, store, server);
  }

  public int port() {
    return server.port();
  }

  /** Starts the server's drain, as shutdown does; the future completes once every socket is closed. */
  public CompletableFuture<Void> drain() {
    return server.drain().toCompletionStage().toCompletableFuture();
  }

  /** GET {@code path} on this server; the body as text. */
  public HttpResponse<String> get(String path) {
    return Http.get("http://127.0.0.1:" + port() + path, path);
  }

  /** One series of this server's {@code /metrics} now (NaN when absent). */
  public double metric(String series) {
    return Probe.value(get("/metrics").body(), series).orElse(Double.NaN);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the test server did not stop", e);
    } finally {
      store.close();
    }
  }
}
