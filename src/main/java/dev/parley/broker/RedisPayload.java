package dev.parley.broker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.chat.Message;
import java.io.IOException;
import java.util.Locale;

/**
 * What {@link RedisBroker} publishes, as JSON. A message is {@code {"room","id","from","text","ts"}};
 * a signal is {@code {"signal":"join|leave|typing|rename","room","user","name","to"}} (absent
 * fields are omitted). The {@code signal} field tells them apart, so messages and signals of a
 * room share its channel. Unknown fields are ignored, so a newer node may add some.
 */
final class RedisPayload {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RedisPayload() {}

  static byte[] encode(Message message) throws IOException {
    return JSON.writeValueAsBytes(message);
  }

  static byte[] encode(Signal signal) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("signal", signal.kind().name().toLowerCase(Locale.ROOT));
    putIfPresent(node, "room", signal.room());
    putIfPresent(node, "user", signal.user());
    putIfPresent(node, "name", signal.name());
    putIfPresent(node, "to", signal.to());
    return JSON.writeValueAsBytes(node);
  }

  /** A {@link Message} or a {@link Signal}; throws when the payload is neither. */
  static Object decode(byte[] payload) throws IOException {
    JsonNode node = JSON.readTree(payload);
    if (node == null || !node.isObject()) {
      throw new IOException("not a JSON object");
    }
    JsonNode kind = node.get("signal");
    if (kind == null) {
      return JSON.treeToValue(node, Message.class);
    }
    Signal.Kind parsed;
    try {
      parsed = Signal.Kind.valueOf(kind.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown signal " + kind, e);
    }
    return new Signal(parsed, text(node, "room"), text(node, "user"), text(node, "name"), text(node, "to"));
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
