package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.RawHttp;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketFrameType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain HTTP connections must complete a request head in time, and keep-alive ones must not sit
 * idle; WebSockets, silent between pings, are not affected.
 */
@Timeout(60)
class LimitsHttpTimeoutTest {
  private static final long HEADER_MILLIS = 400;
  private static final long IDLE_MILLIS = 1200;
  /** How late a close may come (a loaded build machine), well under what the test would wait without one. */
  private static final Duration LATE = Duration.ofSeconds(3);
  private TestServer server;

  private void start(long headerMillis, long idleMillis, long pingMillis) {
    WebLimits d = WebLimits.defaults();
    WebLimits limits = new WebLimits(d.maxFrame(), d.maxBacklog(), d.badFrames(), d.badFrameWindowNanos(),
        d.maxConnsPerIp(), d.handshakeBurst(), d.handshakeRate(), pingMillis, pingMillis * 2,
        new HttpLimits(256, headerMillis, idleMillis));
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits));
  }

  private void start() {
    start(HEADER_MILLIS, IDLE_MILLIS, WebLimits.defaults().pingMillis());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long millisSince(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws IOException {
    start();
    try (RawHttp raw = RawHttp.connect(server.port())) {
      long start = System.nanoTime();
      assertTrue(raw.closedWithin(Duration.ofMillis(HEADER_MILLIS).plus(LATE)), "still open after "
          + millisSince(start) + " ms with a header timeout of " + HEADER_MILLIS);
      long took = millisSince(start);
      assertTrue(took >= HEADER_MILLIS - 50, "closed after " + took + " ms, before the header timeout");
    }
  }

  @Test
  void aRequestHeadTrickledByteByByteIsClosedAfterTheHeaderTimeout() throws IOException {
    start();
    try (RawHttp raw = RawHttp.connect(server.port())) {
      long start = System.nanoTime();
      raw.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      int trickled = 0;
      // A byte every 50 ms: never idle, never a complete head. Each wait is for the server's close.
      boolean closed = false;
      while (!closed && millisSince(start) < HEADER_MILLIS + LATE.toMillis()) {
        closed = raw.closedWithin(Duration.ofMillis(50));
        if (!closed) {
          try {
            raw.send("a");
            trickled++;
          } catch (IOException e) {
            closed = true; // the server closed between the wait and the write
          }
        }
      }
      long took = millisSince(start);
      assertTrue(closed, "still open after " + took + " ms and " + trickled + " trickled bytes");
      assertTrue(took >= HEADER_MILLIS - 50, "closed after " + took + " ms, before the header timeout");
      assertTrue(trickled >= 3, "bytes kept arriving until the close: " + trickled);
    }
  }

  @Test
  void anUpgradeWhoseBodyNeverArrivesIsClosedAfterTheHeaderTimeout() throws IOException {
    start();
    // Vert.x reads an upgrade request's whole body before it answers 101; this one never ends.
    try (RawHttp raw = RawHttp.connect(server.port())) {
      raw.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Content-Length: 1000\r\n\r\nonly a little");
      long start = System.nanoTime();
      assertTrue(raw.closedWithin(Duration.ofMillis(HEADER_MILLIS).plus(LATE)),
          "still waiting for its body after " + millisSince(start) + " ms");
    }
    Probe.awaitConnections(server, 0);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    start();
    try (RawHttp raw = RawHttp.connect(server.port())) {
      RawHttp.Response health = raw.get("/health");
      long start = System.nanoTime();
      assertEquals(200, health.status());
      assertFalse("close".equalsIgnoreCase(health.header("Connection")), "kept alive: " + health.headers());
      assertTrue(raw.closedWithin(Duration.ofMillis(IDLE_MILLIS).plus(LATE)),
          "still open " + millisSince(start) + " ms after the response, with an idle timeout of " + IDLE_MILLIS);
      long took = millisSince(start);
      assertTrue(took >= IDLE_MILLIS - 50, "closed " + took + " ms after the response: before the idle timeout");
    }
  }

  @Test
  void aBrowserLikeKeepAliveConnectionIsServedAcrossPausesLongerThanTheHeaderTimeout() throws IOException {
    start();
    String[] browser = {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Accept", "*/*", "Accept-Language", "en-GB,en;q=0.5", "Accept-Encoding", "gzip, deflate",
        "Connection", "keep-alive"};
    String[] paths = {"/", "/css/app.css", "/js/main.js", "/api/rooms", "/health"};
    try (RawHttp raw = RawHttp.connect(server.port())) {
      long start = System.nanoTime();
      for (String path : paths) {
        RawHttp.Response response = raw.get(path, browser);
        assertEquals(200, response.status(), path + ": " + response.body());
        // Quiet for longer than the header timeout, shorter than the idle one: the connection stays.
        assertFalse(raw.closedWithin(Duration.ofMillis(HEADER_MILLIS + 200)), "closed after " + path);
      }
      long took = millisSince(start);
      assertTrue(took > IDLE_MILLIS, "one connection, served for " + took + " ms, longer than the idle timeout");
    }
  }

  @Test
  void aWebSocketSilentForLongerThanTheHttpTimeoutsStaysOpen() {
    // The header timeout is longer here only because a test JVM's first WebSocket client can
    // take a while between connecting and asking to upgrade.
    long headerMillis = 2500;
    long idleMillis = 400;
    start(headerMillis, idleMillis, 1000);
    try (WsClient client = WsClient.json(server)) {
      long upgraded = System.nanoTime();
      client.await("joined", client.send("type", "join", "room", "general"));
      AtomicInteger pings = new AtomicInteger();
      client.socket().frameHandler(frame -> {
        if (frame.type() == WebSocketFrameType.PING) {
          pings.incrementAndGet();
        }
      });
      // Pings come 1 s apart, and the client's automatic pongs are its only traffic: silent for
      // longer than the idle timeout, again and again, and for longer than both timeouts end to end.
      long enough = headerMillis + idleMillis + 1000;
      Probe.until(Duration.ofSeconds(20),
          () -> client.isClosed() || (pings.get() >= 3 && millisSince(upgraded) >= enough),
          () -> pings.get() + " pings so far");
      assertFalse(client.isClosed(), "closed " + millisSince(upgraded) + " ms after the upgrade, after "
          + pings.get() + " pings");
      assertEquals(1, client.await("members", client.send("type", "who", "room", "general"))
          .path("members").size(), "still served after " + pings.get() + " pings");
    }
  }

}
