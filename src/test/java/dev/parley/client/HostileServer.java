package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.TimeUnit;

/**
 * A fake server that speaks protocol v1 but sends what Parley itself never would: messages, names and
 * error words full of terminal escape sequences. (Parley refuses such text; a client must not rely on
 * that.) Every {@code join} is answered with a history whose first message is {@link #BEFORE}, then
 * hostile messages; after the history come hostile live frames, the last one's text ending in
 * {@link #LAST}.
 */
final class HostileServer implements AutoCloseable {
  static final String BEFORE = "before the attack";
  static final String LAST = "the end";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  private HostileServer() throws Exception {
    server = vertx.createHttpServer().webSocketHandler(this::serve)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HostileServer start() throws Exception {
    return new HostileServer();
  }

  String ws() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  private void serve(ServerWebSocket ws) {
    ws.writeTextMessage(MAPPER.createObjectNode().put("type", "hello").put("name", "user1").put("protocol", 1).toString());
    ws.textMessageHandler(text -> {
      JsonNode command;
      try {
        command = MAPPER.readTree(text);
      } catch (Exception e) {
        return;
      }
      if ("join".equals(command.path("type").asText())) {
        String room = command.path("room").asText();
        ObjectNode joined = MAPPER.createObjectNode().put("type", "joined").put("ref", command.path("ref").asText())
            .put("room", room).put("lastId", 3);
        joined.putArray("members").add("mallory").add("user1");
        ArrayNode messages = joined.putArray("messages");
        messages.add(message(room, 1, "alice", BEFORE));
        messages.add(message(room, 2, "mallory", "\u001b[2J\u001b[Hwas the screen cleared?"));
        messages.add(message(room, 3, "mallory\u001b[5m", "\u001b]2;pwned\u0007was the title set?"));
        ws.writeTextMessage(joined.toString());
        ws.writeTextMessage(live(room, 4, "mallory", "\u001b[31mred alert"));
        ws.writeTextMessage(live(room, 5, "mallory", "\u009b2Jeight-bit CSI"));
        ws.writeTextMessage(live(room, 6, "mallory", "innocent\r12:00 bob: forged"));
        ws.writeTextMessage(MAPPER.createObjectNode().put("type", "presence").put("room", room)
            .put("name", "eve\u001b[8m").put("event", "join").toString());
        ws.writeTextMessage(MAPPER.createObjectNode().put("type", "error").put("code", "bad_request\u001b[41m")
            .put("message", "\u0007\u001b[?1049hthe alternate screen?").toString());
        ws.writeTextMessage(live(room, 7, "mallory", "\u001b[8m" + LAST));
      }
    });
  }

  private static ObjectNode message(String room, long id, String from, String text) {
    return MAPPER.createObjectNode().put("room", room).put("id", id).put("from", from).put("text", text)
        .put("ts", System.currentTimeMillis());
  }

  private static String live(String room, long id, String from, String text) {
    return message(room, id, from, text).put("type", "message").toString();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
