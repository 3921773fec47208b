package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests: it records every text frame and lets a test wait, with a
 * timeout, for the one it expects.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Vertx VERTX = Vertx.vertx();
  /** One shared client: Vert.x closes a client once it is unreachable, connections and all. */
  private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(2 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024).setMaxConnections(100_000));

  private final WebSocket socket;
  private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private int refs;

  private WsClient(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(frames::add);
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  /** Opens {@code /ws} (JSON) on a server. */
  public static WsClient json(TestServer server) {
    return connect(server.port(), "/ws", new WebSocketConnectOptions());
  }

  /** Opens {@code /chat} (plain text) on a server. */
  public static WsClient plain(TestServer server) {
    return connect(server.port(), "/chat", new WebSocketConnectOptions());
  }

  public static WsClient connect(int port, String path, WebSocketConnectOptions options) {
    try {
      // The handlers are set before connecting: a frame that arrives before its handler is set
      // is dropped by Vert.x, and the server's first frame (hello) can come right after the upgrade.
      ClientWebSocket socket = CLIENT.webSocket();
      WsClient client = new WsClient(socket);
      options.setHost("127.0.0.1").setPort(port).setURI(path);
      socket.connect(options).toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return client;
    } catch (Exception e) {
      throw new IllegalStateException("could not connect to " + path, e);
    }
  }

  /** Tries an upgrade; the future fails (e.g. with an UpgradeRejectedException) if it is refused. */
  public static CompletableFuture<WebSocket> open(int port, String path, WebSocketConnectOptions options) {
    options.setHost("127.0.0.1").setPort(port).setURI(path);
    return CLIENT.connect(options).toCompletionStage().toCompletableFuture();
  }

  public static Vertx vertx() {
    return VERTX;
  }

  public void sendText(String text) {
    socket.writeTextMessage(text);
  }

  public void sendBinary(byte[] bytes) {
    socket.writeBinaryMessage(Buffer.buffer(bytes));
  }

  /** Sends a JSON command built from key/value pairs, adding a fresh {@code ref}; returns the ref. */
  public String send(Object... keyValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      node.set((String) keyValues[i], MAPPER.valueToTree(keyValues[i + 1]));
    }
    String ref = node.has("ref") ? node.get("ref").asText() : "r" + (++refs);
    node.put("ref", ref);
    sendText(node.toString());
    return ref;
  }

  /** The next text frame, waiting at most {@link #WAIT}. */
  public String nextText() {
    try {
      String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + WAIT + "; frames so far: " + seen);
      }
      seen.add(frame);
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, parsed as JSON. */
  public JsonNode next() {
    try {
      return MAPPER.readTree(nextText());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Skips frames until one matches; fails after {@link #WAIT}. */
  public JsonNode await(Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame = next();
      if (wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("no matching frame within " + WAIT + "; frames so far: " + seen);
  }

  /** Skips frames until one of the given type (and ref, when not null) arrives. */
  public JsonNode await(String type, String ref) {
    return await(f -> type.equals(f.path("type").asText()) && (ref == null || ref.equals(f.path("ref").asText())));
  }

  public JsonNode await(String type) {
    return await(type, null);
  }

  /** Skips text frames until one matches. */
  public String awaitText(Predicate<String> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String frame = nextText();
      if (wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("no matching frame; frames so far: " + seen);
  }

  /** Whether a frame is already waiting, without waiting. */
  public String pollText() {
    String frame = frames.poll();
    if (frame != null) {
      seen.add(frame);
    }
    return frame;
  }

  /** The close status the server sent, waiting at most {@link #WAIT}. */
  public Short awaitClose() {
    try {
      return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within " + WAIT, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  public WebSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
