package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.RawWebSocket;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketFrameType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server pings every socket and closes those that stop answering. */
@Timeout(60)
class LimitsHeartbeatTest {
  private static final long PING_MILLIS = 200;
  private static final long DEAD_MILLIS = 400;
  private TestServer server;

  @BeforeEach
  void start() {
    WebLimits d = WebLimits.defaults();
    WebLimits limits = new WebLimits(d.maxFrame(), d.maxBacklog(), d.badFrames(), d.badFrameWindowNanos(),
        d.maxConnsPerIp(), d.handshakeBurst(), d.handshakeRate(), PING_MILLIS, DEAD_MILLIS);
    server = TestServer.start(c -> TestServer.withWebLimits(c, limits));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aClientThatAnswersPingsStaysOpenAcrossManyIntervals() {
    try (WsClient client = WsClient.json(server)) {
      client.await("joined", client.send("type", "join", "room", "general"));
      AtomicInteger pings = new AtomicInteger();
      client.socket().frameHandler(frame -> {
        if (frame.type() == WebSocketFrameType.PING) {
          pings.incrementAndGet();
        }
      });
      // Ten pings take about 2 s: five times the dead interval, with nothing but pongs from the client.
      Probe.until(() -> pings.get() >= 10 || client.isClosed(), () -> pings.get() + " pings so far");
      assertFalse(client.isClosed(), "closed after " + pings.get() + " pings");
      assertEquals(1, client.await("members", client.send("type", "who", "room", "general"))
          .path("members").size(), "still served after " + pings.get() + " pings");
    }
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosedByTheServer() throws Exception {
    try (RawWebSocket raw = RawWebSocket.upgrade(server.port(), "/ws", Map.of())) {
      assertEquals(101, raw.status());
      // Read (without ever answering) until the server closes: a close frame, or the end of the stream.
      long start = System.nanoTime();
      List<Integer> opcodes = new ArrayList<>();
      RawWebSocket.Frame frame;
      while ((frame = raw.readFrame(Duration.ofSeconds(5))) != null && frame.opcode() != RawWebSocket.Frame.CLOSE) {
        opcodes.add(frame.opcode());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "still open; frames: " + opcodes);
      }
      long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(opcodes.contains(RawWebSocket.Frame.PING), "the server pinged first: " + opcodes);
      assertTrue(took < 3_000, "closed " + took + " ms after the upgrade with a dead interval of " + DEAD_MILLIS);
      if (frame != null) {
        int code = frame.closeCode();
        assertTrue(code == 1001 || code == 1006, "close code " + code);
      }
      Probe.until(() -> Probe.metric(server, "parley_connections") == 0,
          () -> "parley_connections is " + Probe.metric(server, "parley_connections"));
    }
  }

  @Test
  void aClientThatNeverAnswersPingsGetsCloseCode1001() throws Exception {
    try (RawWebSocket raw = RawWebSocket.upgrade(server.port(), "/ws", Map.of())) {
      assertEquals(101, raw.status());
      RawWebSocket.Frame frame;
      do {
        frame = raw.readFrame(Duration.ofSeconds(5));
      } while (frame != null && frame.opcode() != RawWebSocket.Frame.CLOSE);
      assertNotNull(frame, "the server ended the connection without a close frame");
      assertEquals(1001, frame.closeCode());
    }
  }
}
