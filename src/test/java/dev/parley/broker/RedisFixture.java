package dev.parley.broker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.UUID;

/**
 * The Redis server of the integration tests, named by {@code PARLEY_TEST_REDIS_URL} (the
 * tests are skipped when it is unset), with a Vert.x and an admin client of its own. The
 * server may be shared: each test puts its keys under a namespace of its own.
 */
final class RedisFixture implements AutoCloseable {
  static final String ENV = "PARLEY_TEST_REDIS_URL";

  final String url;
  final Vertx vertx;
  private final Redis admin;

  private RedisFixture(String url) {
    this.url = url;
    this.vertx = Vertx.vertx();
    this.admin = Redis.createClient(vertx, url);
  }

  /** The fixture; skips the calling test class when no server is configured. */
  static RedisFixture open() {
    String url = System.getenv(ENV);
    assumeTrue(url != null && !url.isBlank(), ENV + " is not set");
    return new RedisFixture(url);
  }

  /** A key prefix no other test uses, ending with {@code :}. */
  static String namespace() {
    return "parley-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  Response send(Request request) throws Exception {
    return Waits.await(admin.send(request).toCompletionStage());
  }

  /** GET key, or null. */
  String get(String key) throws Exception {
    Response value = send(Request.cmd(Command.GET).arg(key));
    return value == null ? null : value.toString();
  }

  /** Deletes every key under the prefix (as a Redis restart without persistence would). */
  void deleteAll(String prefix) throws Exception {
    List<String> keys = RedisSession.strings(send(Request.cmd(Command.KEYS).arg(prefix + "*")));
    if (!keys.isEmpty()) {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(del::arg);
      send(del);
    }
  }

  @Override
  public void close() throws Exception {
    Waits.await(admin.close().toCompletionStage());
    Waits.await(vertx.close().toCompletionStage());
  }
}
