package dev.parley.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.chat.Command;
import dev.parley.chat.Event;
import dev.parley.chat.Message;
import dev.parley.chat.TextRules;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** JSON protocol v1: one JSON object per frame, each with a {@code type}. */
final class JsonProtocol implements Protocol {
  static final int MAX_REF = 64;
  /** The most a {@code joined} or {@code history} frame carries of messages, in encoded bytes. */
  static final int MAX_MESSAGES_BYTES = 256 * 1024;
  /** A frame is exactly one JSON object: anything after it makes the frame malformed. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  // ---------------------------------------------------------------- parsing

  @Override
  public Parsed parse(String frame) {
    JsonNode root;
    try {
      root = MAPPER.readTree(frame);
    } catch (IOException e) {
      return new Parsed.Malformed(null, "the frame is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return new Parsed.Malformed(null, "a frame must be a JSON object");
    }
    Fields fields = new Fields(root);
    try {
      String ref = fields.optionalString("ref", MAX_REF);
      fields.ref = ref;
      String type = fields.requiredString("type");
      Command command = switch (type) {
        case "join" -> new Command.Join(ref, fields.requiredString("room"), fields.optionalLong("since"));
        case "leave" -> new Command.Leave(ref, fields.requiredString("room"));
        case "send" -> new Command.Send(ref, fields.requiredString("room"), fields.requiredString("text"),
            fields.optionalString("cid", MAX_REF));
        case "typing" -> new Command.Typing(ref, fields.requiredString("room"));
        case "nick" -> new Command.Nick(ref, fields.requiredString("name"));
        case "history" -> new Command.History(ref, fields.requiredString("room"), fields.optionalLong("before"),
            fields.optionalInt("limit"));
        case "who" -> new Command.Who(ref, fields.requiredString("room"));
        default -> throw new Malformed("unknown type " + quote(type));
      };
      return new Parsed.Ok(command);
    } catch (Malformed e) {
      return new Parsed.Malformed(fields.ref, e.getMessage());
    }
  }

  private static String quote(String s) {
    boolean long_ = s.codePointCount(0, s.length()) > 32;
    return '"' + (long_ ? s.substring(0, s.offsetByCodePoints(0, 32)) + "…" : s) + '"';
  }

  private static final class Malformed extends Exception {
    Malformed(String words) {
      super(words, null, false, false);
    }
  }

  /** Typed access to a frame's fields; {@code null} counts as absent. */
  private static final class Fields {
    private final JsonNode root;
    String ref;

    Fields(JsonNode root) {
      this.root = root;
    }

    private JsonNode get(String name) {
      JsonNode node = root.get(name);
      return node == null || node.isNull() ? null : node;
    }

    String requiredString(String name) throws Malformed {
      JsonNode node = get(name);
      if (node == null) {
        throw new Malformed("the field " + name + " is required");
      }
      return string(name, node);
    }

    /** A string field's value; one with an unpaired surrogate (a "\\ud800" escape) is malformed. */
    private static String string(String name, JsonNode node) throws Malformed {
      if (!node.isTextual()) {
        throw new Malformed("the field " + name + " must be a string");
      }
      String value = node.textValue();
      if (!name.equals("text") && !TextRules.hasNoLoneSurrogate(value)) {
        throw new Malformed("the field " + name + " is not valid Unicode");
      }
      return value;
    }

    String optionalString(String name, int maxLength) throws Malformed {
      JsonNode node = get(name);
      if (node == null) {
        return null;
      }
      String value = string(name, node);
      if (value.length() > maxLength) {
        throw new Malformed("the field " + name + " may have at most " + maxLength + " characters");
      }
      return value;
    }

    Long optionalLong(String name) throws Malformed {
      JsonNode node = get(name);
      if (node == null) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        throw new Malformed("the field " + name + " must be a whole number");
      }
      return node.longValue();
    }

    Integer optionalInt(String name) throws Malformed {
      Long value = optionalLong(name);
      if (value == null) {
        return null;
      }
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
  }

  // ---------------------------------------------------------------- encoding

  @Override
  public String encode(Event event) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      write(g, event);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Event event) throws IOException {
    if (event instanceof Event.Posted posted) {
      g.writeStringField("type", "message");
      writeMessageFields(g, posted.message());
    } else if (event instanceof Event.Ack ack) {
      type(g, "ack", ack.ref());
      g.writeStringField("room", ack.room());
      g.writeNumberField("id", ack.id());
      g.writeNumberField("ts", ack.ts());
    } else if (event instanceof Event.Hello hello) {
      g.writeStringField("type", "hello");
      g.writeStringField("name", hello.name());
      g.writeNumberField("protocol", 1);
    } else if (event instanceof Event.Joined joined) {
      type(g, "joined", joined.ref());
      g.writeStringField("room", joined.room());
      names(g, "members", joined.members());
      g.writeNumberField("lastId", joined.lastId());
      boolean complete = messages(g, joined.messages());
      if (joined.recovered() != null) {
        g.writeBooleanField("recovered", joined.recovered() && complete);
      }
    } else if (event instanceof Event.Left left) {
      type(g, "left", left.ref());
      g.writeStringField("room", left.room());
    } else if (event instanceof Event.History history) {
      type(g, "history", history.ref());
      g.writeStringField("room", history.room());
      boolean complete = messages(g, history.messages());
      g.writeBooleanField("more", history.more() || !complete);
    } else if (event instanceof Event.Members members) {
      type(g, "members", members.ref());
      g.writeStringField("room", members.room());
      names(g, "members", members.members());
    } else if (event instanceof Event.Presence presence) {
      g.writeStringField("type", "presence");
      g.writeStringField("room", presence.room());
      g.writeStringField("name", presence.name());
      g.writeStringField("event", presence.joined() ? "join" : "leave");
    } else if (event instanceof Event.Typing typing) {
      g.writeStringField("type", "typing");
      g.writeStringField("room", typing.room());
      g.writeStringField("name", typing.name());
    } else if (event instanceof Event.NickChanged nick) {
      type(g, "nick", nick.ref());
      g.writeStringField("from", nick.from());
      g.writeStringField("to", nick.to());
    } else if (event instanceof Event.Failure failure) {
      type(g, "error", failure.ref());
      g.writeStringField("code", failure.code().wire());
      g.writeStringField("message", failure.words());
    }
  }

  private static void type(JsonGenerator g, String type, String ref) throws IOException {
    g.writeStringField("type", type);
    if (ref != null) {
      g.writeStringField("ref", ref);
    }
  }

  private static void names(JsonGenerator g, String field, List<String> names) throws IOException {
    g.writeArrayFieldStart(field);
    for (String name : names) {
      g.writeString(name);
    }
    g.writeEndArray();
  }

  static void writeMessageFields(JsonGenerator g, Message m) throws IOException {
    g.writeStringField("room", m.room());
    g.writeNumberField("id", m.id());
    g.writeStringField("from", m.from());
    g.writeStringField("text", m.text());
    g.writeNumberField("ts", m.ts());
  }

  /**
   * Writes the newest messages that fit in {@link #MAX_MESSAGES_BYTES}, oldest first.
   * Returns whether all of them fitted.
   */
  static boolean messages(JsonGenerator g, List<Message> messages) throws IOException {
    String[] encoded = new String[messages.size()];
    int first = messages.size();
    long bytes = 0;
    while (first > 0) {
      String json = encodeMessage(messages.get(first - 1));
      bytes += json.getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes > MAX_MESSAGES_BYTES) {
        break;
      }
      encoded[--first] = json;
    }
    g.writeFieldName("messages");
    g.writeStartArray();
    for (int i = first; i < encoded.length; i++) {
      g.writeRawValue(encoded[i]);
    }
    g.writeEndArray();
    return first == 0;
  }

  static String encodeMessage(Message m) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      writeMessageFields(g, m);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
