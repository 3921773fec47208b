package dev.parley.testing;

import dev.parley.app.Parley;
import dev.parley.app.Settings;
import dev.parley.chat.Limits;
import dev.parley.web.WebConfig;
import dev.parley.web.WebLimits;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One node of a test cluster: a real Parley on a free port, sharing PostgreSQL and Redis with its peers. */
public final class ClusterNode implements AutoCloseable {
  public static final String REDIS_ENV = "PARLEY_TEST_REDIS_URL";
  private final Parley parley;

  private ClusterNode(Parley parley) {
    this.parley = parley;
  }

  /** The Redis URL from the environment, or null when cluster tests should be skipped. */
  public static String redisUrlFromEnv() {
    String url = System.getenv(REDIS_ENV);
    return url == null || url.isBlank() ? null : url;
  }

  /** Starts a node on the shared store and broker, with no rate limits. */
  public static ClusterNode start(String dbUrl, String redisUrl) {
    WebConfig web = new WebConfig("127.0.0.1", 0, Set.of(), new Limits(4000, 1_000_000, 0, 1_000_000, 0, 50),
        WebLimits.defaults(), 0, 5000, null, 2);
    Settings settings = new Settings(null, dbUrl, redisUrl, false, 0, 0, web);
    try {
      return new ClusterNode(Parley.start(settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("the cluster node did not start", e);
    }
  }

  public int port() {
    return parley.port();
  }

  /** Stops the node in order (1001 to its sockets), as SIGTERM would. */
  @Override
  public void close() {
    parley.shutdown();
  }
}
