package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame from the server (protocol v1), parsed. Parsing is lenient: a missing field reads as empty or
 * zero, and a frame of an unknown type (or not JSON at all) is {@link Other}, which the clients ignore.
 */
sealed interface Incoming {
  /** A chat message: {@code {room, id, from, text, ts}}. */
  record Message(String room, long id, String from, String text, long ts) {}

  /** The first frame on every connection: the name the server gave this connection. */
  record Hello(String name) implements Incoming {}

  /** The answer to {@code join}: the members, the snapshot's last id, and history ({@code recovered} only with {@code since}). */
  record Joined(String ref, String room, List<String> members, long lastId, List<Message> messages, Boolean recovered)
      implements Incoming {}

  record Left(String ref, String room) implements Incoming {}

  /** A {@code send} was committed with this id. */
  record Ack(String ref, String room, long id, long ts) implements Incoming {}

  /** A live message of a joined room. */
  record Posted(Message message) implements Incoming {}

  record Members(String ref, String room, List<String> members) implements Incoming {}

  record Presence(String room, String name, boolean joined) implements Incoming {}

  record Typing(String room, String name) implements Incoming {}

  /** A rename: this connection's own (with the {@code ref} of its {@code nick}) or another user's. */
  record Nick(String ref, String from, String to) implements Incoming {}

  /** An {@code error} frame; {@code ref} is null when it answers no command. */
  record Failure(String ref, String code, String words) implements Incoming {}

  /** Anything else (history pages, unknown types, malformed frames). */
  record Other(String type) implements Incoming {}

  /** The {@code ref} this frame answers, or null. */
  default String ref() {
    return null;
  }

  ObjectMapper MAPPER = new ObjectMapper();

  static Incoming parse(String frame) {
    JsonNode f;
    try {
      f = MAPPER.readTree(frame);
    } catch (Exception e) {
      return new Other("malformed");
    }
    if (f == null || !f.isObject()) {
      return new Other("malformed");
    }
    String type = text(f, "type");
    String ref = f.hasNonNull("ref") ? f.get("ref").asText() : null;
    return switch (type) {
      case "hello" -> new Hello(text(f, "name"));
      case "joined" -> new Joined(ref, text(f, "room"), names(f.path("members")), f.path("lastId").asLong(),
          messages(f.path("messages")), f.hasNonNull("recovered") ? f.get("recovered").asBoolean() : null);
      case "left" -> new Left(ref, text(f, "room"));
      case "ack" -> new Ack(ref, text(f, "room"), f.path("id").asLong(), f.path("ts").asLong());
      case "message" -> new Posted(message(f));
      case "members" -> new Members(ref, text(f, "room"), names(f.path("members")));
      case "presence" -> new Presence(text(f, "room"), text(f, "name"), "join".equals(text(f, "event")));
      case "typing" -> new Typing(text(f, "room"), text(f, "name"));
      case "nick" -> new Nick(ref, text(f, "from"), text(f, "to"));
      case "error" -> new Failure(ref, text(f, "code"), text(f, "message"));
      default -> new Other(type);
    };
  }

  private static String text(JsonNode f, String field) {
    JsonNode node = f.get(field);
    return node == null || node.isNull() ? "" : node.asText();
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return List.copyOf(names);
  }

  private static List<Message> messages(JsonNode array) {
    List<Message> messages = new ArrayList<>();
    array.forEach(m -> messages.add(message(m)));
    return List.copyOf(messages);
  }

  private static Message message(JsonNode m) {
    return new Message(text(m, "room"), m.path("id").asLong(), text(m, "from"), text(m, "text"), m.path("ts").asLong());
  }
}
