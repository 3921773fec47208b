package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-address limits on WebSocket upgrades: open connections (429) and handshake rate (429 + Retry-After). */
@Timeout(60)
class UpgradeLimitsTest {
  private TestServer server;
  private final List<WebSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(s -> {
      if (!s.isClosed()) {
        s.close();
      }
    });
    if (server != null) {
      server.close();
    }
  }

  private static WebLimits limits(int maxConnsPerIp, int handshakeBurst, double handshakeRate) {
    WebLimits d = WebLimits.defaults();
    return new WebLimits(d.maxFrame(), d.maxBacklog(), d.badFrames(), d.badFrameWindowNanos(), maxConnsPerIp,
        handshakeBurst, handshakeRate, d.pingMillis(), d.deadMillis());
  }

  private WebSocket open(String path) throws Exception {
    WebSocket socket = WsClient.open(server.port(), path, new WebSocketConnectOptions())
        .get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    sockets.add(socket);
    return socket;
  }

  private UpgradeRejectedException refused(String path) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> open(path));
    return assertInstanceOf(UpgradeRejectedException.class, e.getCause());
  }

  private double connections() {
    return Probe.metric(server, "parley_connections");
  }

  @Test
  void theFourthConnectionFromOneAddressIsRefusedWith429() throws Exception {
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits(3, 100, 50)));
    open("/ws");
    open("/chat");
    open("/ws");
    assertEquals(429, refused("/ws").getStatus());
    assertEquals(429, refused("/chat").getStatus());
    assertEquals(3.0, connections(), "refused upgrades open nothing");
  }

  @Test
  void afterOneOfThemClosesANewConnectionIsAccepted() throws Exception {
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits(3, 100, 50)));
    WebSocket first = open("/ws");
    open("/ws");
    open("/ws");
    assertEquals(429, refused("/ws").getStatus());
    first.close().toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    Probe.until(() -> connections() == 2, () -> "parley_connections is " + connections());
    open("/ws");
    assertEquals(3.0, connections());
    assertEquals(429, refused("/ws").getStatus(), "the limit still holds");
  }

  @Test
  void aConnectionTheServerClosesIsCountedOutToo() throws Exception {
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits(2, 100, 50)));
    try (WsClient keeper = WsClient.json(server); WsClient offender = WsClient.json(server)) {
      offender.await("members", offender.send("type", "who", "room", "general"));
      for (int i = 0; i < 51; i++) {
        offender.sendBinary(new byte[] {0});
      }
      assertEquals((short) 1008, offender.awaitClose());
      Probe.until(() -> connections() == 1, () -> "parley_connections is " + connections());
      open("/ws");
      assertEquals(2.0, connections());
      assertTrue(!keeper.isClosed(), "the neighbour from the same address is untouched");
    }
  }

  @Test
  void theSixthQuickHandshakeIsRefusedWith429AndRetryAfter() throws Exception {
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits(1000, 5, 0.01)));
    for (int i = 0; i < 5; i++) {
      open(i % 2 == 0 ? "/ws" : "/chat");
    }
    UpgradeRejectedException e = refused("/ws");
    assertEquals(429, e.getStatus());
    String retryAfter = e.getHeaders().get("Retry-After");
    assertNotNull(retryAfter, "429 for a handshake rate carries Retry-After: " + e.getHeaders());
    assertTrue(Long.parseLong(retryAfter.trim()) >= 1, "Retry-After is a whole number of seconds: " + retryAfter);
  }

  @Test
  void closingConnectionsDoesNotRefundHandshakes() throws Exception {
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits(1000, 5, 0.01)));
    for (int i = 0; i < 5; i++) {
      open("/ws").close().toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    Probe.until(() -> connections() == 0, () -> "parley_connections is " + connections());
    assertEquals(429, refused("/ws").getStatus());
  }
}
