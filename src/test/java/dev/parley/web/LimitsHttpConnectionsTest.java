package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.RawHttp;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One address may hold only so many plain HTTP connections; one more is closed at once.
 * WebSockets are counted by the upgrade limits instead, never twice.
 */
@Timeout(60)
class LimitsHttpConnectionsTest {
  /**
   * A refused connection is closed at once; one that is not would stay open for the header
   * timeout (10 s by default), so this is long enough to see the close and far too short to
   * mistake the timeout for it.
   */
  private static final Duration AT_ONCE = Duration.ofSeconds(3);
  private TestServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(int maxHttpConnsPerIp, int maxConnsPerIp) {
    WebLimits d = WebLimits.defaults();
    WebLimits limits = new WebLimits(d.maxFrame(), d.maxBacklog(), d.badFrames(), d.badFrameWindowNanos(),
        maxConnsPerIp, d.handshakeBurst(), d.handshakeRate(), d.pingMillis(), d.deadMillis(),
        new HttpLimits(maxHttpConnsPerIp, 10_000, 60_000));
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits));
  }

  private <T extends AutoCloseable> T held(T c) {
    open.add(c);
    return c;
  }

  /** A keep-alive connection the server has answered once, so it surely counts it. */
  private RawHttp served() throws IOException {
    RawHttp raw = held(RawHttp.connect(server.port()));
    assertEquals(200, raw.get("/health").status());
    return raw;
  }

  /** Whether a new connection is closed by the server before it is asked anything. */
  private boolean refused(RawHttp raw) throws IOException {
    return raw.closedWithin(AT_ONCE);
  }

  /** Whether a new connection from 127.0.0.1 gets an answer to GET /health; it is kept open. */
  private boolean servedAndHeld() {
    try {
      return held(RawHttp.connect(server.port())).get("/health").status() == 200;
    } catch (IOException e) {
      return false; // refused: closed at once
    }
  }

  @Test
  void theFourthPlainConnectionFromOneAddressIsClosedAtOnce() throws IOException {
    start(3, 1000);
    List<RawHttp> three = List.of(served(), served(), served());
    try (RawHttp fourth = RawHttp.connect(server.port())) {
      assertTrue(refused(fourth), "a fourth plain connection from 127.0.0.1 was left open");
    }
    for (RawHttp raw : three) {
      assertEquals(200, raw.get("/health").status(), "the three held connections are still served");
    }
  }

  @Test
  void aConnectionThatNeverSentARequestCountsToo() throws IOException {
    start(2, 1000);
    held(RawHttp.connect(server.port()));
    served();
    try (RawHttp third = RawHttp.connect(server.port())) {
      assertTrue(refused(third), "the silent connection was not counted");
    }
  }

  @Test
  void afterOneClosesANewConnectionIsServed() throws IOException {
    start(3, 1000);
    RawHttp first = served();
    served();
    served();
    first.close();
    // The server notices the close asynchronously; refused attempts are closed at once and cost nothing.
    Probe.until(this::servedAndHeld, () -> "no slot came free after a connection closed");
    try (RawHttp more = RawHttp.connect(server.port())) {
      assertTrue(refused(more), "the limit still holds");
    }
  }

  @Test
  void anotherAddressHasItsOwnAllowance() throws IOException {
    start(2, 1000);
    served();
    served();
    try (RawHttp local = RawHttp.connect(server.port())) {
      assertTrue(refused(local), "127.0.0.1 is at its limit");
    }
    try (RawHttp other = RawHttp.connectFrom("127.0.0.2", server.port())) {
      assertEquals(200, other.get("/health").status(), "127.0.0.2 is not");
    }
  }

  @Test
  void webSocketsDoNotCountAsPlainConnections() throws IOException {
    start(2, 1000);
    List<WsClient> sockets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // Each returns once upgraded, and the server stops counting a connection as plain before its 101.
      sockets.add(held(i % 2 == 0 ? WsClient.json(server) : WsClient.plain(server)));
    }
    served();
    served();
    try (RawHttp third = RawHttp.connect(server.port())) {
      assertTrue(refused(third), "two plain connections besides four WebSockets are the limit");
    }
    for (WsClient socket : sockets) {
      assertFalse(socket.isClosed(), "the WebSockets are untouched");
    }
  }

  @Test
  void aConnectionWhoseUpgradeIsRefusedCountsAsPlainAgain() throws IOException {
    start(2, 1);
    held(WsClient.json(server));
    RawHttp refusedUpgrade = held(RawHttp.connect(server.port()));
    refusedUpgrade.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertEquals(429, refusedUpgrade.read().status(), "over --max-conns-per-ip 1");
    assertFalse(refusedUpgrade.closedWithin(Duration.ofMillis(100)), "kept alive after the 429");
    served();
    try (RawHttp third = RawHttp.connect(server.port())) {
      assertTrue(refused(third), "the connection whose upgrade was refused is plain HTTP and counts again");
    }
    assertEquals(200, refusedUpgrade.get("/health").status(), "and it is still served");
  }
}
