package dev.parley.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The commands a client sends (protocol v1), as JSON text frames. */
final class Outgoing {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Outgoing() {}

  /** {@code join}; with {@code since} (the last id this client has), the server sends what was missed. */
  static String join(String ref, String room, Long since) {
    ObjectNode frame = command("join", ref).put("room", room);
    if (since != null) {
      frame.put("since", since);
    }
    return frame.toString();
  }

  static String leave(String ref, String room) {
    return command("leave", ref).put("room", room).toString();
  }

  /** {@code send} with a client id, so that a retry is not stored twice. */
  static String send(String ref, String room, String text, String cid) {
    return command("send", ref).put("room", room).put("text", text).put("cid", cid).toString();
  }

  static String typing(String room) {
    return command("typing", null).put("room", room).toString();
  }

  static String nick(String ref, String name) {
    return command("nick", ref).put("name", name).toString();
  }

  static String who(String ref, String room) {
    return command("who", ref).put("room", room).toString();
  }

  private static ObjectNode command(String type, String ref) {
    ObjectNode frame = MAPPER.createObjectNode().put("type", type);
    if (ref != null) {
      frame.put("ref", ref);
    }
    return frame;
  }
}
