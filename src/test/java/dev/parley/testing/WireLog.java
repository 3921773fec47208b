package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client that keeps, in one list and in the order they came off the wire, every
 * text frame, every pong and the close, so that a test can say what came before what: an
 * {@code ack} before the close, a pong with no close before it (the socket was still open when
 * the server answered the ping). Nothing is consumed by waiting.
 */
public final class WireLog implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final WebSocketClient CLIENT = WsClient.vertx().createWebSocketClient();

  /** What arrived. */
  public enum Kind { TEXT, PONG, CLOSE }

  /**
   * One thing that arrived: a text frame's text, a pong's payload, or a close with its status
   * ({@code null} when the connection ended without a close frame).
   */
  public record Entry(Kind kind, String text, Short closeCode) {
    /** The text frame parsed as JSON (an empty object when it is not JSON or not a text frame). */
    public JsonNode json() {
      if (kind != Kind.TEXT) {
        return MAPPER.createObjectNode();
      }
      try {
        return MAPPER.readTree(text);
      } catch (Exception e) {
        return MAPPER.createObjectNode();
      }
    }

    /** Whether this is a JSON reply of {@code type} carrying {@code ref}. */
    public boolean isReply(String type, String ref) {
      JsonNode json = json();
      return type.equals(json.path("type").asText()) && ref.equals(json.path("ref").asText());
    }
  }

  private final ClientWebSocket socket;
  private final List<Entry> entries = new ArrayList<>();
  private int refs;
  private int pings;

  private WireLog(ClientWebSocket socket) {
    this.socket = socket;
    // All three handlers run on the socket's one context, in wire order.
    socket.textMessageHandler(text -> add(new Entry(Kind.TEXT, text, null)));
    socket.pongHandler(payload -> add(new Entry(Kind.PONG, payload.toString(), null)));
    socket.closeHandler(v -> add(new Entry(Kind.CLOSE, null, socket.closeStatusCode())));
  }

  /** Opens {@code path} on 127.0.0.1:{@code port}, the handlers set before the upgrade so nothing is missed. */
  public static WireLog connect(int port, String path) {
    ClientWebSocket socket = CLIENT.webSocket();
    WireLog log = new WireLog(socket);
    try {
      socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
          .toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not connect to " + path, e);
    }
    return log;
  }

  private synchronized void add(Entry entry) {
    entries.add(entry);
  }

  /** Everything received so far, in order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The position of the first entry that matches, or -1. */
  public int indexOf(Predicate<Entry> wanted) {
    List<Entry> now = entries();
    for (int i = 0; i < now.size(); i++) {
      if (wanted.test(now.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Waits, at most {@link WsClient#WAIT}, for an entry that matches, and returns it. */
  public Entry await(Predicate<Entry> wanted, String what) {
    Probe.until(() -> indexOf(wanted) >= 0, () -> "no " + what + "; received " + entries());
    return entries().get(indexOf(wanted));
  }

  /** Waits for the JSON reply of {@code type} carrying {@code ref}. */
  public JsonNode awaitReply(String type, String ref) {
    return await(e -> e.isReply(type, ref), type + " for " + ref).json();
  }

  /** Waits for the first JSON frame of {@code type}. */
  public JsonNode awaitType(String type) {
    return await(e -> type.equals(e.json().path("type").asText()), type).json();
  }

  /** Waits for the close and returns its status ({@code null}: the connection ended without a close frame). */
  public Short awaitClose() {
    return await(e -> e.kind() == Kind.CLOSE, "close").closeCode();
  }

  /**
   * Sends a ping and waits for its pong. Returns the pong's position in the log: what the
   * server wrote on this socket before answering the ping lies before it.
   */
  public int pingAndAwaitPong() {
    String payload = "probe-" + (++pings);
    socket.writePing(Buffer.buffer(payload));
    Predicate<Entry> pong = e -> e.kind() == Kind.PONG && payload.equals(e.text());
    // A close instead of the pong fails at once, saying so.
    await(e -> pong.test(e) || e.kind() == Kind.CLOSE, "pong " + payload);
    int at = indexOf(pong);
    if (at < 0) {
      throw new AssertionError("the socket was closed before it answered " + payload + ": " + entries());
    }
    return at;
  }

  /** Sends a JSON command built from key/value pairs, adding a fresh {@code ref}; returns the ref. */
  public String send(Object... keyValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      node.set((String) keyValues[i], MAPPER.valueToTree(keyValues[i + 1]));
    }
    String ref = "w" + (++refs);
    node.put("ref", ref);
    socket.writeTextMessage(node.toString());
    return ref;
  }

  public boolean isClosed() {
    return indexOf(e -> e.kind() == Kind.CLOSE) >= 0;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
