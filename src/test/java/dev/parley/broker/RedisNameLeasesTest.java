package dev.parley.broker;

import dev.parley.testing.TcpRelay;
import static dev.parley.broker.Waits.await;
import static dev.parley.broker.Waits.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis adapter against the contract, plus lapses and outages. Skipped unless
 * {@code PARLEY_TEST_REDIS_URL} names a server. Each test has its keys under a namespace of
 * its own.
 */
@Timeout(60)
class RedisNameLeasesTest extends ClusteredNameLeasesContract {
  private static final long SHORT_TTL = 600;
  private static final long SHORT_RENEW = 150;

  private static RedisFixture redis;
  private final String namespace = RedisFixture.namespace();

  @BeforeAll
  static void connect() {
    redis = RedisFixture.open();
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void deleteKeys() throws Exception {
    closeNodes();
    redis.deleteAll(namespace);
  }

  @Override
  protected NameLeases newNode() {
    return new RedisNameLeases(redis.vertx, redis.url, RedisNameLeases.DEFAULT_TTL_MILLIS,
        RedisNameLeases.DEFAULT_RENEW_MILLIS, namespace);
  }


  private RedisNameLeases shortLived(String url) {
    return closedAfterTheTest(new RedisNameLeases(redis.vertx, url, SHORT_TTL, SHORT_RENEW, namespace));
  }

  @Test
  void theLeaseOfANodeThatStopsRenewingLapsesWithinItsTtl() throws Exception {
    RedisNameLeases dying = shortLived(redis.url);
    NameLeases other = node();
    assertTrue(await(dying.acquire(name("alice"), "h1")));
    assertFalse(await(other.acquire(name("alice"), "h2")));

    long crashed = System.nanoTime();
    dying.crash();

    eventually("the lease lapsed", () -> await(other.acquire(name("alice"), "h2")));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
    assertTrue(tookMillis <= SHORT_TTL + 1_000, "lapsed after " + tookMillis + " ms, TTL " + SHORT_TTL);
  }

  @Test
  void aLiveNodeKeepsItsLeaseLongAfterItsTtl() throws Exception {
    RedisNameLeases holder = shortLived(redis.url);
    NameLeases other = node();
    assertTrue(await(holder.acquire(name("alice"), "h1")));
    long firstExpiry = holdExpiry(name("alice"));

    eventually("renewed to expire well past its first expiry",
        () -> holdExpiry(name("alice")) > firstExpiry + 3 * SHORT_TTL);

    assertFalse(await(other.acquire(name("alice"), "h2")), "still the live holder's");
    assertEquals("h1", holder(name("alice")));
  }

  @Test
  void closingANodeReleasesItsLeasesLongBeforeTheyWouldLapse() throws Exception {
    NameLeases closing = node();
    NameLeases other = node();
    assertTrue(await(closing.acquire(name("alice"), "h1")));
    assertTrue(await(closing.acquire(name("bob"), "h2")));

    closing.close();

    eventually("the names are free", 5_000, () -> await(other.acquire(name("alice"), "h3"))
        && await(other.acquire(name("bob"), "h3")));
  }

  @Test
  void afterAnOutageANodeTakesBackTheLeasesItLostButNotOnesAnotherHolderTook() throws Exception {
    try (TcpRelay proxy = TcpRelay.toUrl(redis.url, 6379)) {
      RedisNameLeases node = closedAfterTheTest(new RedisNameLeases(redis.vertx, proxy.url(),
          RedisNameLeases.DEFAULT_TTL_MILLIS, RedisNameLeases.DEFAULT_RENEW_MILLIS, namespace));
      NameLeases other = node();
      assertTrue(await(node.acquire(name("alice"), "h1")));
      assertTrue(await(node.acquire(name("bob"), "h2")));

      proxy.cut();
      redis.deleteAll(namespace); // Redis restarted without its data...
      assertTrue(await(other.acquire(name("bob"), "intruder")), "...and someone took a name meanwhile");
      proxy.restore();

      eventually("the lost lease is taken back", () -> "h1".equals(holder(name("alice"))));
      assertFalse(await(other.acquire(name("alice"), "h3")));
      assertEquals("intruder", holder(name("bob")), "a lease another holder took stays theirs");
      assertFalse(await(node.acquire(name("bob"), "h2")));
      node.close();
    }
  }

  /** When the (only) node's hold on the name expires, in Redis time; 0 when there is none. */
  private long holdExpiry(String nameKey) throws Exception {
    var fields = RedisSession.hash(redis.send(Request.cmd(Command.HGETALL).arg(namespace + "name:" + nameKey)));
    return fields.entrySet().stream().filter(e -> e.getKey().startsWith("n:"))
        .mapToLong(e -> Long.parseLong(e.getValue())).findFirst().orElse(0);
  }

  private String holder(String nameKey) throws Exception {
    var value = redis.send(Request.cmd(Command.HGET).arg(namespace + "name:" + nameKey).arg("holder"));
    return value == null ? null : value.toString();
  }
}
