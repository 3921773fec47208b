package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.JarProcess;
import dev.parley.testing.Probe;
import dev.parley.testing.ScratchPostgres;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar on PostgreSQL ({@code --db}) while its database becomes unreachable and comes
 * back, the PostgreSQL server itself running on (other tests share it). Needs
 * {@code PARLEY_TEST_PG_URL}; skipped without it.
 */
@Timeout(180)
class PostgresOutageIT {
  private static final String ROOM = "outage";

  @TempDir
  Path data;

  private static JsonNode reply(WsClient client, String ref) {
    return client.await(f -> ref.equals(f.path("ref").asText()));
  }

  @Test
  void aSendDuringAnOutageIsUnavailableAndItsRetryWithTheSameCidIsStoredOnceWhenTheDatabaseIsBack() throws Exception {
    String adminUrl = ScratchPostgres.adminUrlFromEnv();
    assumeTrue(adminUrl != null, ScratchPostgres.ENV + " is not set");
    try (ScratchPostgres db = new ScratchPostgres(adminUrl);
        JarProcess parley = JarProcess.start("--db", db.url(), "--data", data.toString(), "--send-rate", "0")) {
      int port = parley.port();
      assertEquals(200, JarHttp.get(port, "/ready").statusCode(), "ready on a reachable database");

      WsClient alice = WsClient.connect(port, "/ws", new WebSocketConnectOptions());
      WsClient bob = WsClient.connect(port, "/ws", new WebSocketConnectOptions());
      alice.await("hello");
      bob.await("hello");
      alice.await("joined", alice.send("type", "join", "room", ROOM));
      bob.await("joined", bob.send("type", "join", "room", ROOM));
      JsonNode first = alice.await("ack", alice.send("type", "send", "room", ROOM, "text", "before", "cid", "a1"));
      assertEquals(1, first.get("id").asLong());
      assertEquals("before", bob.await("message").get("text").asText(), "chat works before the outage");

      db.goDown();

      String failedRef = alice.send("type", "send", "room", ROOM, "text", "during", "cid", "a2");
      JsonNode failed = reply(alice, failedRef);
      assertEquals("error", failed.get("type").asText(), "no ack while the database is unreachable: " + failed);
      assertEquals("unavailable", failed.get("code").asText(), failed.toString());

      HttpResponse<String> notReady = JarHttp.get(port, "/ready");
      assertEquals(503, notReady.statusCode(), notReady.body());
      assertTrue(notReady.body().contains("\"store\""), "the store is named: " + notReady.body());

      db.comeBack();
      Probe.until(Duration.ofSeconds(30), () -> JarHttp.get(port, "/ready").statusCode() == 200,
          () -> "/ready still answers " + JarHttp.get(port, "/ready").body());

      String retryRef = alice.send("type", "send", "room", ROOM, "text", "during", "cid", "a2");
      JsonNode retried = reply(alice, retryRef);
      assertEquals("ack", retried.get("type").asText(), "the retry with the same cid is accepted: " + retried);
      assertEquals(2, retried.get("id").asLong(), "the failed send took no id");
      JsonNode again = reply(alice, alice.send("type", "send", "room", ROOM, "text", "during", "cid", "a2"));
      assertEquals("ack", again.get("type").asText(), again.toString());
      assertEquals(2, again.get("id").asLong(), "a third try gets the same ack");

      // A last message marks the end: every frame for "during" that Bob will ever get came before it.
      JsonNode last = alice.await("ack", alice.send("type", "send", "room", ROOM, "text", "after", "cid", "a3"));
      assertEquals(3, last.get("id").asLong());
      List<JsonNode> delivered = new ArrayList<>();
      for (JsonNode f = bob.await("message"); ; f = bob.await("message")) {
        delivered.add(f);
        if ("after".equals(f.get("text").asText())) {
          break;
        }
      }
      assertEquals(List.of("during", "after"), delivered.stream().map(m -> m.get("text").asText()).toList(),
          "the message is delivered exactly once, then the next one");
      assertEquals(List.of(2L, 3L), delivered.stream().map(m -> m.get("id").asLong()).toList());

      List<JsonNode> history = JarHttp.allMessages(port, ROOM);
      assertEquals(List.of("before", "during", "after"), history.stream().map(m -> m.get("text").asText()).toList(),
          "stored exactly once");
      assertEquals(List.of(1L, 2L, 3L), history.stream().map(m -> m.get("id").asLong()).toList());
      assertFalse(alice.isClosed() || bob.isClosed(), "an outage closes no socket");
      alice.close();
      bob.close();
    }
  }
}
