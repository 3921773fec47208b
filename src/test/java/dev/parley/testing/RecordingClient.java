package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@code /ws} client that keeps every frame it receives after its {@code hello}, with the
 * time it arrived, so that a test can count frames (exactly one {@code leave}, no duplicate
 * id) and wait for one without consuming the others, as {@link WsClient#await} does.
 */
public final class RecordingClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One received frame and when it arrived ({@link System#nanoTime()}). */
  public record Frame(long nanos, JsonNode json) {}

  private final WsClient client;
  private final String name;
  private final List<Frame> frames = new ArrayList<>();
  private volatile Consumer<JsonNode> listener = f -> {};

  private RecordingClient(WsClient client, String name) {
    this.client = client;
    this.name = name;
    // Swapped right after the hello: until the client sends a command, the server sends nothing
    // else, so no frame can slip between the two handlers.
    client.socket().textMessageHandler(this::record);
  }

  /** Connects to {@code /ws} on 127.0.0.1:{@code port} and reads the hello. */
  public static RecordingClient connect(int port) {
    return connect(port, new WebSocketConnectOptions());
  }

  /** The same, with a session cookie, as a browser tab of that session. */
  public static RecordingClient withSession(int port, String cookie) {
    return connect(port, new WebSocketConnectOptions().addHeader("Cookie", "parley_sid=" + cookie));
  }

  public static RecordingClient connect(int port, WebSocketConnectOptions options) {
    WsClient client = WsClient.connect(port, "/ws", options);
    return new RecordingClient(client, WsSteps.hello(client));
  }

  private void record(String text) {
    JsonNode json;
    try {
      json = MAPPER.readTree(text);
    } catch (Exception e) {
      json = MAPPER.createObjectNode().put("type", "unparsable").put("text", text);
    }
    synchronized (this) {
      frames.add(new Frame(System.nanoTime(), json));
      notifyAll();
    }
    listener.accept(json);
  }

  /** The name the hello gave. */
  public String name() {
    return name;
  }

  /** Called with each frame after it is recorded, on the client's event loop; it must not block. */
  public void onFrame(Consumer<JsonNode> listener) {
    this.listener = listener;
  }

  /** Sends a command of key/value pairs with a fresh {@code ref} (or the one given); returns the ref. Thread-safe. */
  public synchronized String send(Object... keyValues) {
    return client.send(keyValues);
  }

  /** How many frames have arrived so far: a mark to wait for frames after it. */
  public synchronized int mark() {
    return frames.size();
  }

  /** Every frame so far. */
  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** The frames so far that match. */
  public synchronized List<JsonNode> matching(Predicate<JsonNode> wanted) {
    List<JsonNode> out = new ArrayList<>();
    for (Frame f : frames) {
      if (wanted.test(f.json())) {
        out.add(f.json());
      }
    }
    return out;
  }

  /** The first frame at or after index {@code from} that matches, waiting at most {@code wait}; empty if none came. */
  public synchronized Optional<Frame> poll(int from, Predicate<JsonNode> wanted, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    int i = from;
    while (true) {
      for (; i < frames.size(); i++) {
        if (wanted.test(frames.get(i).json())) {
          return Optional.of(frames.get(i));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The first frame at or after {@code from} that matches; fails after {@code wait}. */
  public Frame await(int from, Predicate<JsonNode> wanted, Duration wait) {
    return poll(from, wanted, wait).orElseThrow(() -> new AssertionError(
        name + ": no matching frame within " + wait + "; frames since " + from + ": " + tail(from)));
  }

  /** The reply carrying {@code ref} (whatever its type), within {@link WsClient#WAIT}. */
  public JsonNode reply(String ref) {
    return await(0, f -> ref.equals(f.path("ref").asText()), WsClient.WAIT).json();
  }

  /** Sends a command and returns its reply, insisting that it is of type {@code type}. */
  public JsonNode request(String type, Object... keyValues) {
    JsonNode reply = reply(send(keyValues));
    if (!type.equals(reply.path("type").asText())) {
      throw new AssertionError(name + ": expected " + type + " but got " + reply);
    }
    return reply;
  }

  /** The names {@code who} lists for {@code room}, as this client's node answers. */
  public List<String> who(String room) {
    return WsSteps.names(request("members", "type", "who", "room", room).get("members"));
  }

  /** The ids of the live {@code message}s of {@code room} received so far, in arrival order. */
  public synchronized List<Long> messageIds(String room) {
    List<Long> ids = new ArrayList<>();
    for (Frame f : frames) {
      if (isMessage(f.json(), room)) {
        ids.add(f.json().get("id").asLong());
      }
    }
    return ids;
  }

  private synchronized String tail(int from) {
    List<String> out = new ArrayList<>();
    for (int i = Math.max(from, frames.size() - 40); i < frames.size(); i++) {
      out.add(frames.get(i).json().toString());
    }
    return (frames.size() - from > 40 ? "… " : "") + out;
  }

  public static boolean isMessage(JsonNode f, String room) {
    return "message".equals(f.path("type").asText()) && room.equals(f.path("room").asText());
  }

  /** A {@code presence} frame of {@code room} with this event ({@code join}, {@code leave}) about {@code user}. */
  public static Predicate<JsonNode> presence(String room, String event, String user) {
    return f -> "presence".equals(f.path("type").asText()) && room.equals(f.path("room").asText())
        && event.equals(f.path("event").asText()) && user.equals(f.path("name").asText());
  }

  /** The close status, within {@code wait}. */
  public Short awaitClose() {
    return client.awaitClose();
  }

  public boolean isClosed() {
    return client.isClosed();
  }

  @Override
  public void close() {
    client.close();
  }
}
