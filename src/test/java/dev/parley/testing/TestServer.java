package dev.parley.testing;

import dev.parley.app.Parley;
import dev.parley.app.Settings;
import dev.parley.chat.Limits;
import dev.parley.web.WebConfig;
import dev.parley.web.WebLimits;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real Parley node on a free port, with an in-memory store, for tests. */
public final class TestServer implements AutoCloseable {
  private final Parley parley;

  private TestServer(Parley parley) {
    this.parley = parley;
  }

  public static TestServer start() {
    return start(UnaryOperator.identity());
  }

  /** Starts a node whose configuration the caller may adjust. */
  public static TestServer start(UnaryOperator<WebConfig> adjust) {
    return start(adjust, null);
  }

  public static TestServer start(UnaryOperator<WebConfig> adjust, Path data) {
    // Two socket loops whatever the machine: about half of every test's sockets are served by a
    // loop other than the hub's, so both paths (direct and handed over) are always exercised.
    WebConfig web = adjust.apply(new WebConfig("127.0.0.1", 0, Set.of(), Limits.defaults(), WebLimits.defaults(),
        0, 5000, null, 2));
    Settings settings = new Settings(data, null, null, data == null, 0, 0, web);
    try {
      return new TestServer(Parley.start(settings).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("the test server did not start", e);
    }
  }

  /** A configuration with generous rate limits, for tests that send a lot. */
  public static WebConfig unlimited(WebConfig c) {
    return withLimits(c, new Limits(4000, 1_000_000, 0, 1_000_000, 0, 50));
  }

  public static WebConfig withLimits(WebConfig c, Limits limits) {
    return new WebConfig(c.host(), c.port(), c.allowedOrigins(), limits, c.webLimits(), c.leaveGraceMillis(),
        c.shutdownMillis(), c.tls(), c.socketLoops());
  }

  public static WebConfig withWebLimits(WebConfig c, WebLimits limits) {
    return new WebConfig(c.host(), c.port(), c.allowedOrigins(), c.chatLimits(), limits, c.leaveGraceMillis(),
        c.shutdownMillis(), c.tls(), c.socketLoops());
  }

  public int port() {
    return parley.port();
  }

  public String ws() {
    return "ws://127.0.0.1:" + port() + "/ws";
  }

  public String http(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    parley.shutdown();
  }
}
