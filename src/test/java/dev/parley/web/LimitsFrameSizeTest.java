package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.Probe;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The largest message a client may send (--max-frame): one byte more closes the socket with 1009. */
@Timeout(60)
class LimitsFrameSizeTest {
  private static final int SMALL = 1024;
  private static final int DEFAULT = 64 * 1024;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static WebLimits withMaxFrame(int maxFrame) {
    WebLimits d = WebLimits.defaults();
    return new WebLimits(maxFrame, d.maxBacklog(), d.badFrames(), d.badFrameWindowNanos(), d.maxConnsPerIp(),
        d.handshakeBurst(), d.handshakeRate(), d.pingMillis(), d.deadMillis());
  }

  /** A {@code send} to general whose JSON text is exactly {@code bytes} bytes of UTF-8. */
  private static String sendOfSize(String ref, int bytes) {
    String head = "{\"type\":\"send\",\"room\":\"general\",\"ref\":\"" + ref + "\",\"text\":\"";
    String tail = "\"}";
    String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    assertEquals(bytes, frame.getBytes(StandardCharsets.UTF_8).length);
    return frame;
  }

  private static WsClient joined(TestServer server) {
    WsClient client = WsClient.json(server);
    client.await("joined", client.send("type", "join", "room", "general"));
    return client;
  }

  @Test
  void aMessageOfExactlyTheConfiguredMaxFrameIsAnsweredNormally() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient client = joined(server)) {
      client.sendText(sendOfSize("atLimit", SMALL));
      JsonNode ack = client.await("ack", "atLimit");
      assertEquals("general", ack.path("room").asText());
      assertFalse(client.isClosed());
    }
  }

  @Test
  void aMessageOneByteOverTheConfiguredMaxFrameClosesTheSocketWith1009() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient client = joined(server)) {
      client.sendText(sendOfSize("over", SMALL + 1));
      assertEquals((short) 1009, client.awaitClose());
    }
  }

  @Test
  void theSocketClosedFor1009IsReleasedByTheServer() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient client = joined(server)) {
      Probe.until(() -> Probe.metric(server, "parley_connections") == 1, () -> Probe.metrics(server));
      client.sendText(sendOfSize("over", SMALL + 1));
      client.awaitClose();
      Probe.until(() -> Probe.metric(server, "parley_connections") == 0,
          () -> "parley_connections is " + Probe.metric(server, "parley_connections"));
    }
  }

  @Test
  void aMessageOverTheMaxFrameSentInSmallFragmentsClosesTheSocketWith1009() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient client = joined(server)) {
      String frame = sendOfSize("fragmented", SMALL + 200);
      // Three fragments of about 400 bytes: each well under the limit, together over it.
      client.socket().writeFrame(WebSocketFrame.textFrame(frame.substring(0, 400), false));
      client.socket().writeFrame(WebSocketFrame.continuationFrame(
          io.vertx.core.buffer.Buffer.buffer(frame.substring(400, 800)), false));
      client.socket().writeFrame(WebSocketFrame.continuationFrame(
          io.vertx.core.buffer.Buffer.buffer(frame.substring(800)), true));
      assertEquals((short) 1009, client.awaitClose(), "the limit applies to the reassembled message");
    }
  }

  @Test
  void aMessageUnderTheMaxFrameSentInFragmentsIsAnsweredNormally() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient client = joined(server)) {
      String frame = sendOfSize("pieces", SMALL - 24);
      client.socket().writeFrame(WebSocketFrame.textFrame(frame.substring(0, 500), false));
      client.socket().writeFrame(WebSocketFrame.continuationFrame(
          io.vertx.core.buffer.Buffer.buffer(frame.substring(500)), true));
      client.await("ack", "pieces");
      assertFalse(client.isClosed());
    }
  }

  @Test
  void withDefaultLimitsAMessageOf64KiBIsAnsweredTooLong() {
    server = TestServer.start();
    try (WsClient client = joined(server)) {
      client.sendText(sendOfSize("big", DEFAULT));
      JsonNode error = client.await("error", "big");
      assertEquals("too_long", error.path("code").asText());
      assertFalse(client.isClosed());
    }
  }

  @Test
  void withDefaultLimitsAMessageOneByteOver64KiBClosesTheSocketWith1009() {
    server = TestServer.start();
    try (WsClient client = joined(server)) {
      client.sendText(sendOfSize("huge", DEFAULT + 1));
      assertEquals((short) 1009, client.awaitClose());
    }
  }

  @Test
  void thePlainChatHasTheSameMaxFrame() {
    server = TestServer.start(c -> TestServer.withWebLimits(c, withMaxFrame(SMALL)));
    try (WsClient fits = WsClient.plain(server); WsClient over = WsClient.plain(server)) {
      fits.sendText("y".repeat(SMALL));
      String line = fits.awaitText(l -> l.contains(" said: "));
      assertEquals(" said: " + "y".repeat(SMALL), line.substring(line.indexOf(" said: ")));
      over.sendText("y".repeat(SMALL + 1));
      assertEquals((short) 1009, over.awaitClose());
    }
  }
}
