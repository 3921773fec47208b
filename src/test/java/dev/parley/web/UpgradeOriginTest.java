package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.testing.Probe;
import dev.parley.testing.RawWebSocket;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which pages may open a WebSocket: the server's own origin, configured extra ones, and non-browsers. */
@Timeout(60)
class UpgradeOriginTest {
  private static final String EXTRA = "https://chat.example.org";
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(c -> new WebConfig(c.host(), c.port(), Set.of(EXTRA), c.chatLimits(), c.webLimits(),
        c.leaveGraceMillis(), c.shutdownMillis(), c.tls(), c.socketLoops()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WebSocket open(String path, WebSocketConnectOptions options) throws Exception {
    return WsClient.open(server.port(), path, options).get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private int rejected(String path, WebSocketConnectOptions options) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> open(path, options).close());
    return assertInstanceOf(UpgradeRejectedException.class, e.getCause()).getStatus();
  }

  private static WebSocketConnectOptions origin(String origin) {
    return new WebSocketConnectOptions().addHeader("Origin", origin);
  }

  /** Asserts the socket is served: a command gets its answer. */
  private static void assertServed(WebSocket socket) {
    java.util.concurrent.CompletableFuture<String> reply = new java.util.concurrent.CompletableFuture<>();
    socket.textMessageHandler(text -> {
      if (text.contains("\"members\"")) {
        reply.complete(text);
      }
    });
    socket.writeTextMessage("{\"type\":\"who\",\"room\":\"general\",\"ref\":\"w\"}");
    try {
      reply.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket is not served", e);
    } finally {
      socket.close();
    }
  }

  @Test
  void anUpgradeFromAForeignOriginIsRefusedWith403() {
    assertEquals(403, rejected("/ws", origin("http://evil.example")));
  }

  @Test
  void aForeignOriginIsRefusedOnThePlainChatToo() {
    assertEquals(403, rejected("/chat", origin("http://evil.example")));
  }

  @Test
  void aRefusedUpgradeOpensNoConnection() {
    assertEquals(403, rejected("/ws", origin("http://evil.example")));
    assertEquals(0.0, Probe.metric(server, "parley_connections"));
    assertEquals(1.0, Probe.metric(server, "parley_upgrades_refused_total"));
  }

  @Test
  void theServersOwnOriginIsAccepted() throws Exception {
    assertServed(open("/ws", origin("http://127.0.0.1:" + server.port())));
  }

  @Test
  void anUpgradeWithoutAnOriginHeaderIsAccepted() throws Exception {
    assertServed(open("/ws", new WebSocketConnectOptions().setAllowOriginHeader(false)));
  }

  @Test
  void aConfiguredExtraOriginIsAccepted() throws Exception {
    assertServed(open("/ws", origin(EXTRA)));
  }

  @Test
  void anOriginThatOnlyStartsLikeAConfiguredOneIsRefused() {
    assertEquals(403, rejected("/ws", origin(EXTRA + ".evil.example")));
  }

  @Test
  void theSameHostOnAnotherPortIsRefused() {
    assertEquals(403, rejected("/ws", origin("http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1))));
  }

  @Test
  void theLiteralOriginNullIsRefused() {
    assertEquals(403, rejected("/ws", origin("null")));
  }

  @Test
  void originAndHostAreComparedCaseInsensitively() throws Exception {
    int port = server.port();
    try (RawWebSocket upper = RawWebSocket.upgrade(port, "/ws",
        Map.of("Host", "LocalHost:" + port, "Origin", "http://localhost:" + port))) {
      assertEquals(101, upper.status(), "Host in mixed case");
    }
    try (RawWebSocket lower = RawWebSocket.upgrade(port, "/ws",
        Map.of("Host", "localhost:" + port, "Origin", "HTTP://LOCALHOST:" + port))) {
      assertEquals(101, lower.status(), "Origin in capitals");
    }
  }

  @Test
  void anOriginWithTheDefaultPortMatchesAHostWithout() throws Exception {
    int port = server.port();
    try (RawWebSocket raw = RawWebSocket.upgrade(port, "/ws",
        Map.of("Host", "chat.example.net", "Origin", "https://chat.example.net:443"))) {
      assertEquals(101, raw.status());
    }
    try (RawWebSocket raw = RawWebSocket.upgrade(port, "/ws",
        Map.of("Host", "chat.example.net:80", "Origin", "http://chat.example.net"))) {
      assertEquals(101, raw.status());
    }
  }

  @Test
  void aPlainHttpOriginOnPort443MatchesTheSameHostAndPort() throws Exception {
    // The Origin's host[:port] is "chat.example.net:443" (443 is not http's default), and so is the Host header.
    try (RawWebSocket raw = RawWebSocket.upgrade(server.port(), "/ws",
        Map.of("Host", "chat.example.net:443", "Origin", "http://chat.example.net:443"))) {
      assertEquals(101, raw.status());
    }
  }

  @Test
  void aForeignOriginIsRefusedWhateverTheHostHeaderSays() throws Exception {
    try (RawWebSocket raw = RawWebSocket.upgrade(server.port(), "/ws",
        Map.of("Host", "chat.example.net", "Origin", "https://evil.example"))) {
      assertEquals(403, raw.status());
    }
  }
}
