package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.Probe;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control frames a client sends, which Parley answers itself once Vert.x has handed the
 * socket over (web/SocketHandler): a ping gets its pong, a close gets its close back.
 */
@Timeout(60)
class WsControlFramesTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aClientsPingIsAnsweredWithAPongCarryingItsData() throws Exception {
    try (WsClient client = WsClient.json(server)) {
      client.await("hello");
      CompletableFuture<Buffer> pong = new CompletableFuture<>();
      client.socket().pongHandler(pong::complete);
      client.socket().writePing(Buffer.buffer("are you there"));
      assertEquals("are you there", pong.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS).toString());
    }
  }

  @Test
  void aClientsCloseIsAnsweredWithItsOwnCodeAndTheServerLetsTheSocketGo() {
    WsClient client = WsClient.json(server);
    client.await("hello");
    Probe.until(() -> Probe.metric(server, "parley_connections") == 1, () -> "the socket was never counted");
    client.socket().close((short) 4000, "done here");
    assertEquals((short) 4000, client.awaitClose());
    Probe.until(() -> Probe.metric(server, "parley_connections") == 0,
        () -> "parley_connections is still " + Probe.metric(server, "parley_connections"));
  }
}
