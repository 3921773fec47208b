package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;

/** Steps of the JSON protocol over {@code /ws} that tests share, and the small readers of their frames. */
public final class WsSteps {
  private WsSteps() {}

  /** Reads the hello that must be the first frame, and returns the name it gives. */
  public static String hello(WsClient client) {
    JsonNode hello = client.next();
    assertEquals("hello", hello.path("type").asText(), "the first frame is hello: " + hello);
    return hello.path("name").asText();
  }

  /** A client connected to {@code /ws} that has read its hello. */
  public static WsClient connected(TestServer server) {
    WsClient client = WsClient.json(server);
    hello(client);
    return client;
  }

  /** A client connected to {@code /ws} that has read its hello and joined {@code room}. */
  public static WsClient joined(TestServer server, String room) {
    WsClient client = connected(server);
    join(client, room);
    return client;
  }

  /** Joins {@code room} and returns the {@code joined} answer. */
  public static JsonNode join(WsClient client, String room) {
    return client.await("joined", client.send("type", "join", "room", room));
  }

  /** Has each client join {@code room}, one after the other. */
  public static void joinAll(String room, WsClient... clients) {
    for (WsClient client : clients) {
      join(client, room);
    }
  }

  /** Sends {@code text} to {@code room} and returns the {@code ack} answering it. */
  public static JsonNode sendAndAwaitAck(WsClient client, String room, String text) {
    return client.await("ack", client.send("type", "send", "room", room, "text", text));
  }

  /** Every frame up to and including the reply of the given type carrying {@code ref}. */
  public static List<JsonNode> until(WsClient client, String type, String ref) {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = client.next();
      frames.add(frame);
      if (type.equals(frame.path("type").asText()) && ref.equals(frame.path("ref").asText())) {
        return frames;
      }
    }
  }

  /** GET / as a browser without a cookie; the value of the {@code parley_sid} cookie it is given. */
  public static String sessionCookie(TestServer server) {
    return JarHttp.newSession(server.port());
  }

  /** Another browser tab of the session {@code cookie}: a socket on {@code /ws} sending that cookie. */
  public static WsClient tab(TestServer server, String cookie) {
    return WsClient.connect(server.port(), "/ws",
        new WebSocketConnectOptions().addHeader("Cookie", "parley_sid=" + cookie));
  }

  /** The ids of a {@code messages} array, in order. */
  public static List<Long> ids(JsonNode messages) {
    List<Long> ids = new ArrayList<>();
    messages.forEach(m -> ids.add(m.path("id").asLong()));
    return ids;
  }

  /** The ids {@code from} to {@code to}, both included. */
  public static List<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }

  /** The texts of a JSON array of names, in order. */
  public static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }
}
