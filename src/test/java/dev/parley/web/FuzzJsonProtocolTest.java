package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.chat.Command;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.Event;
import dev.parley.chat.Message;
import dev.parley.fuzz.FuzzFrames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of the JSON protocol's parser and encoder over generated frames and events: the
 * parser never throws, answers every frame with a command or a {@code bad_request} (never an
 * exception for the connection to swallow), follows the contract's shape rules, and the encoder
 * always writes one JSON object that reads back as the event it encodes.
 */
class FuzzJsonProtocolTest {
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> TYPES = Set.copyOf(FuzzFrames.COMMAND_TYPES);

  // ---------------------------------------------------------------- parse: total and contract-shaped

  @Provide
  Arbitrary<String> frames() {
    return Arbitraries.frequencyOf(
        Tuple.of(8, FuzzFrames.jsonFrame()),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
        Tuple.of(1, FuzzFrames.text(100)));
  }

  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void parsingAnyFrameAnswersACommandOrAMalformedWithAShortRefAndNeverThrows(@ForAll("frames") String frame) {
    checkTotal(frame);
  }

  /** The contract's shape check, written out independently, agrees with the parser on every frame. */
  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void theParserAcceptsExactlyTheFramesTheContractsShapeRulesAccept(@ForAll("frames") String frame) {
    checkShape(frame);
  }

  /** Both checks on one frame: the target the coverage-guided fuzzer (FuzzProtocolsJazzerTest) runs too. */
  static void checkFrame(String frame) {
    checkTotal(frame);
    checkShape(frame);
  }

  static void checkTotal(String frame) {
    Protocol.Parsed parsed = new JsonProtocol().parse(frame);
    assertNotNull(parsed, () -> escape(frame));
    assertFalse(parsed instanceof Protocol.Parsed.Local, () -> "JSON has no locally answered frames: " + escape(frame));
    if (parsed instanceof Protocol.Parsed.Malformed bad) {
      assertTrue(bad.ref() == null || bad.ref().length() <= JsonProtocol.MAX_REF, () -> "ref too long: " + escape(bad.toString()));
      assertNotNull(bad.words());
    } else {
      Command command = assertInstanceOf(Protocol.Parsed.Ok.class, parsed).command();
      assertTrue(command.ref() == null || command.ref().length() <= JsonProtocol.MAX_REF, () -> escape(command.toString()));
    }
  }

  static void checkShape(String frame) {
    Protocol.Parsed parsed = new JsonProtocol().parse(frame);
    Object expected = ShapeRules.expected(frame);
    if (expected instanceof Command command) {
      Command got = assertInstanceOf(Protocol.Parsed.Ok.class, parsed, () -> "expected " + escape(command.toString()) + " for " + escape(frame))
          .command();
      assertEquals(command, got, () -> escape(frame));
    } else {
      Protocol.Parsed.Malformed bad = assertInstanceOf(Protocol.Parsed.Malformed.class, parsed,
          () -> "expected bad_request for " + escape(frame));
      assertEquals(expected, bad.ref(), () -> "the ref a bad_request echoes, for " + escape(frame));
    }
  }

  /** The contract's rules for a frame: the Command it is, or the ref its bad_request carries (maybe null). */
  private static final class ShapeRules {
    private static final class Bad extends Exception {
      Bad() {
        super(null, null, false, false);
      }
    }

    static Object expected(String frame) {
      JsonNode root;
      try {
        root = STRICT.readTree(frame);
      } catch (IOException e) {
        return null;
      }
      if (root == null || !root.isObject()) {
        return null;
      }
      String ref;
      try {
        ref = string(root, "ref", false, 64);
      } catch (Bad e) {
        return null;
      }
      try {
        String type = string(root, "type", true, Integer.MAX_VALUE);
        if (!TYPES.contains(type)) {
          return ref;
        }
        return switch (type) {
          case "join" -> new Command.Join(ref, string(root, "room", true, Integer.MAX_VALUE), whole(root, "since"));
          case "leave" -> new Command.Leave(ref, string(root, "room", true, Integer.MAX_VALUE));
          case "send" -> new Command.Send(ref, string(root, "room", true, Integer.MAX_VALUE),
              string(root, "text", true, Integer.MAX_VALUE), string(root, "cid", false, 64));
          case "typing" -> new Command.Typing(ref, string(root, "room", true, Integer.MAX_VALUE));
          case "nick" -> new Command.Nick(ref, string(root, "name", true, Integer.MAX_VALUE));
          case "history" -> {
            String room = string(root, "room", true, Integer.MAX_VALUE);
            Long before = whole(root, "before");
            Long limit = whole(root, "limit");
            yield new Command.History(ref, room, before,
                limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
          }
          default -> new Command.Who(ref, string(root, "room", true, Integer.MAX_VALUE));
        };
      } catch (Bad e) {
        return ref;
      }
    }

    /** A string field; {@code null} counts as absent. */
    private static String string(JsonNode root, String field, boolean required, int max) throws Bad {
      JsonNode node = root.get(field);
      if (node == null || node.isNull()) {
        if (required) {
          throw new Bad();
        }
        return null;
      }
      if (!node.isTextual() || node.textValue().length() > max) {
        throw new Bad();
      }
      // Every string but the text (which has rules of its own) must be valid Unicode: a "\ud800"
      // escape gives an unpaired surrogate, which no reply could echo over UTF-8.
      if (!field.equals("text") && !wellFormed(node.textValue())) {
        throw new Bad();
      }
      return node.textValue();
    }

    /** A whole number that fits in a long; 1.0, 1e2 and "1" are not whole numbers of JSON. */
    private static Long whole(JsonNode root, String field) throws Bad {
      JsonNode node = root.get(field);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        throw new Bad();
      }
      return node.longValue();
    }
  }

  @Example
  void nestingFarDeeperThanAnyParserFollowsIsABadRequest() {
    for (String open : List.of("[", "{\"a\":", "{\"type\":\"join\",\"room\":")) {
      for (int depth : new int[] {999, 1000, 1001, 5_000, 100_000}) {
        String frame = open.repeat(depth) + "1";
        assertInstanceOf(Protocol.Parsed.Malformed.class, new JsonProtocol().parse(frame), () -> "depth " + depth);
        String closed = frame + (open.equals("[") ? "]" : "}").repeat(depth);
        Protocol.Parsed parsed = new JsonProtocol().parse(closed);
        assertTrue(parsed instanceof Protocol.Parsed.Malformed, () -> "depth " + depth + ": " + parsed);
      }
    }
  }

  @Example
  void hugeNumbersAndLongStringsAreABadRequestOrACommandNeverAnException() {
    List<String> frames = List.of(
        "{\"type\":\"history\",\"room\":\"general\",\"limit\":" + "9".repeat(5_000) + "}",
        "{\"type\":\"history\",\"room\":\"general\",\"before\":1e" + "9".repeat(5_000) + "}",
        "{\"type\":\"join\",\"room\":\"general\",\"since\":-" + "9".repeat(999) + "}",
        "{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + "x".repeat(2_000_000) + "\"}",
        "{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + "\\ud800".repeat(10_000) + "\"}",
        "{\"type\":\"join\",\"room\":\"general\",\"" + "k".repeat(100_000) + "\":1}",
        "{\"type\":\"join\",\"room\":\"a\",\"room\":\"b\",\"room\":null}",
        "\ufeff{\"type\":\"who\",\"room\":\"general\"}",
        "{\"type\":\"who\",\"room\":\"general\"}\u0000",
        "{\"type\":\"who\",\"room\":\"general\"} {}",
        "", " ", "null", "[]", "\"join\"", "{", "}", "{}");
    for (String frame : frames) {
      Protocol.Parsed parsed = new JsonProtocol().parse(frame);
      assertNotNull(parsed);
      assertFalse(parsed instanceof Protocol.Parsed.Local);
    }
  }

  // ---------------------------------------------------------------- parse: well-formed commands round-trip

  @Provide
  Arbitrary<Command> commands() {
    // Strings other than the text are valid Unicode here (one that is not is a bad_request: checkShape).
    Arbitrary<String> s = Arbitraries.frequencyOf(
        Tuple.of(3, FuzzFrames.room()), Tuple.of(1, Arbitraries.strings().all().ofMaxLength(50)))
        .map(FuzzJsonProtocolTest::repairSurrogates);
    Arbitrary<String> ref = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((String) null)),
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(64).map(FuzzJsonProtocolTest::repairSurrogates)));
    Arbitrary<Long> number = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((Long) null)),
        Tuple.of(3, Arbitraries.longs()));
    Arbitrary<Integer> limit = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((Integer) null)),
        Tuple.of(3, Arbitraries.integers()));
    Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(3, FuzzFrames.messageText()),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(300)));
    return Arbitraries.oneOf(
        Combinators.combine(ref, s, number).as(Command.Join::new),
        Combinators.combine(ref, s).as(Command.Leave::new),
        Combinators.combine(ref, s, text, ref).as(Command.Send::new),
        Combinators.combine(ref, s).as(Command.Typing::new),
        Combinators.combine(ref, FuzzFrames.name().map(FuzzJsonProtocolTest::repairSurrogates)).as(Command.Nick::new),
        Combinators.combine(ref, s, number, limit).as(Command.History::new),
        Combinators.combine(ref, s).as(Command.Who::new));
  }

  @Property(tries = 3000)
  void aWellShapedCommandWrittenByAnyJsonWriterParsesToItselfWhateverElseTheFrameCarries(
      @ForAll("commands") Command command, @ForAll("extras") List<Tuple.Tuple2<String, String>> extras,
      @ForAll boolean explicitNulls) throws IOException {
    ObjectNode node = STRICT.createObjectNode();
    for (Tuple.Tuple2<String, String> extra : extras) {
      node.set(extra.get1(), STRICT.readTree(extra.get2()));
    }
    putCommand(node, command, explicitNulls);
    Protocol.Parsed parsed = new JsonProtocol().parse(STRICT.writeValueAsString(node));
    assertEquals(command, assertInstanceOf(Protocol.Parsed.Ok.class, parsed, () -> escape(node.toString())).command(),
        () -> escape(node.toString()));
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<String, String>>> extras() {
    Arbitrary<String> validJson = FuzzFrames.jsonValue(2).filter(v -> {
      try {
        STRICT.readTree(v);
        return !v.isBlank();
      } catch (IOException e) {
        return false;
      }
    });
    return Combinators.combine(Arbitraries.strings().all().ofMaxLength(10).filter(k -> !KNOWN.contains(k)), validJson)
        .as(Tuple::of).list().ofMaxSize(3);
  }

  private static final Set<String> KNOWN = Set.of("type", "ref", "room", "text", "cid", "since", "before", "limit",
      "name");

  private static void putCommand(ObjectNode node, Command command, boolean explicitNulls) {
    if (command instanceof Command.Join c) {
      node.put("type", "join").put("room", c.room());
      optional(node, "since", c.since(), explicitNulls);
    } else if (command instanceof Command.Leave c) {
      node.put("type", "leave").put("room", c.room());
    } else if (command instanceof Command.Send c) {
      node.put("type", "send").put("room", c.room()).put("text", c.text());
      optional(node, "cid", c.cid(), explicitNulls);
    } else if (command instanceof Command.Typing c) {
      node.put("type", "typing").put("room", c.room());
    } else if (command instanceof Command.Nick c) {
      node.put("type", "nick").put("name", c.name());
    } else if (command instanceof Command.History c) {
      node.put("type", "history").put("room", c.room());
      optional(node, "before", c.before(), explicitNulls);
      optional(node, "limit", c.limit(), explicitNulls);
    } else if (command instanceof Command.Who c) {
      node.put("type", "who").put("room", c.room());
    }
    optional(node, "ref", command.ref(), explicitNulls);
  }

  private static void optional(ObjectNode node, String field, Object value, boolean explicitNull) {
    if (value == null) {
      if (explicitNull) {
        node.putNull(field);
      } else {
        node.remove(field);
      }
    } else {
      node.set(field, STRICT.valueToTree(value));
    }
  }

  // ---------------------------------------------------------------- what goes back to the client

  /**
   * A bad_request's words quote part of the frame; cut at 32 chars they must not split a
   * surrogate pair, or the words the client gets hold a broken character (sent as '?').
   */
  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void theWordsOfABadRequestAreWellFormedUnicodeWhenTheFrameIs(@ForAll("wellFormedTypes") String type) {
    String frame = STRICT.createObjectNode().put("type", type).toString();
    Protocol.Parsed parsed = new JsonProtocol().parse(frame);
    if (parsed instanceof Protocol.Parsed.Malformed bad) {
      assertTrue(wellFormed(bad.words()), () -> "words with a broken surrogate pair: " + escape(bad.words()));
    }
  }

  @Provide
  Arbitrary<String> wellFormedTypes() {
    return FuzzFrames.text(40).map(FuzzJsonProtocolTest::repairSurrogates);
  }

  /**
   * Every reply echoes the command's ref; a text frame carries UTF-8, so a ref the server accepts
   * must be text UTF-8 can carry (no lone surrogate, which JSON's \\ud800 escape can produce).
   */
  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void aRefTheParserAcceptsCanBeEchoedExactlyInATextFrame(@ForAll("frames") String frame) {
    Protocol.Parsed parsed = new JsonProtocol().parse(frame);
    String ref = parsed instanceof Protocol.Parsed.Ok ok ? ok.command().ref()
        : ((Protocol.Parsed.Malformed) parsed).ref();
    assertTrue(ref == null || wellFormed(ref), () -> "a ref that cannot be echoed: " + escape(ref));
  }

  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static String repairSurrogates(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(cp -> out.appendCodePoint(Character.isSurrogate((char) cp) && cp < 0x10000 ? '?' : cp));
    return out.toString();
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- encode

  @Provide
  Arbitrary<Event> events() {
    Arbitrary<String> s = Arbitraries.frequencyOf(Tuple.of(2, FuzzFrames.text(30)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    Arbitrary<String> ref = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((String) null)), Tuple.of(3, s));
    Arbitrary<Long> id = Arbitraries.longs();
    Arbitrary<Message> message = Combinators.combine(s, id, s, s, id).as(Message::new);
    Arbitrary<List<Message>> messages = message.list().ofMaxSize(6);
    Arbitrary<List<String>> names = s.list().ofMaxSize(6);
    Arbitrary<Boolean> recovered = Arbitraries.of(Boolean.TRUE, Boolean.FALSE, null);
    return Arbitraries.oneOf(
        s.map(Event.Hello::new),
        Combinators.combine(ref, s, names, id, messages, recovered).as(Event.Joined::new),
        Combinators.combine(ref, s).as(Event.Left::new),
        Combinators.combine(ref, s, id, id).as(Event.Ack::new),
        message.map(Event.Posted::new),
        Combinators.combine(ref, s, messages, Arbitraries.of(true, false)).as(Event.History::new),
        Combinators.combine(ref, s, names).as(Event.Members::new),
        Combinators.combine(s, s, Arbitraries.of(true, false)).as(Event.Presence::new),
        Combinators.combine(s, s).as(Event.Typing::new),
        Combinators.combine(ref, s, s).as(Event.NickChanged::new),
        Combinators.combine(ref, Arbitraries.of(ErrorCode.class), s).as(Event.Failure::new));
  }

  @Property(tries = 3000)
  void everyEventEncodesAsOneJsonObjectThatReadsBackAsTheEvent(@ForAll("events") Event event) throws IOException {
    String frame = new JsonProtocol().encode(event);
    JsonNode node = STRICT.readTree(frame);
    assertTrue(node.isObject(), frame);
    assertEquals(decode(node), event, frame);
  }

  @Example
  void aJoinedWhoseMessagesDoNotFitIn256KiBKeepsTheNewestThatDoAndIsNotRecovered() throws IOException {
    List<Message> messages = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      messages.add(new Message("general", i, "alice", "\ud83d\ude00".repeat(1000) + "\"\\\u0001", 1L));
    }
    String frame = new JsonProtocol().encode(new Event.Joined("r", "general", List.of("alice"), 200, messages, true));
    JsonNode node = STRICT.readTree(frame);
    JsonNode got = node.get("messages");
    assertTrue(got.size() > 0 && got.size() < 200, "some but not all fit: " + got.size());
    assertEquals(200, got.get(got.size() - 1).get("id").asLong(), "the newest is kept");
    for (int i = 1; i < got.size(); i++) {
      assertEquals(got.get(i - 1).get("id").asLong() + 1, got.get(i).get("id").asLong(), "oldest first, no gap");
    }
    assertFalse(node.get("recovered").asBoolean());
    assertTrue(JsonProtocol.MAX_MESSAGES_BYTES >= frame.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        - 1024, "the messages fit in 256 KiB");
  }

  /** Reads an encoded event back, by the contract's field names. */
  private static Event decode(JsonNode n) {
    String ref = n.has("ref") ? n.get("ref").textValue() : null;
    String type = n.get("type").textValue();
    return switch (type) {
      case "hello" -> {
        assertEquals(1, n.get("protocol").asInt());
        yield new Event.Hello(n.get("name").textValue());
      }
      case "joined" -> new Event.Joined(ref, text(n, "room"), names(n.get("members")), n.get("lastId").longValue(),
          messages(n.get("messages")), n.has("recovered") ? n.get("recovered").booleanValue() : null);
      case "left" -> new Event.Left(ref, text(n, "room"));
      case "ack" -> new Event.Ack(ref, text(n, "room"), n.get("id").longValue(), n.get("ts").longValue());
      case "message" -> {
        assertNull(n.get("ref"));
        yield new Event.Posted(message(n));
      }
      case "history" -> new Event.History(ref, text(n, "room"), messages(n.get("messages")),
          n.get("more").booleanValue());
      case "members" -> new Event.Members(ref, text(n, "room"), names(n.get("members")));
      case "presence" -> {
        String event = text(n, "event");
        assertTrue(event.equals("join") || event.equals("leave"), event);
        yield new Event.Presence(text(n, "room"), text(n, "name"), event.equals("join"));
      }
      case "typing" -> new Event.Typing(text(n, "room"), text(n, "name"));
      case "nick" -> new Event.NickChanged(ref, text(n, "from"), text(n, "to"));
      case "error" -> {
        String code = text(n, "code");
        ErrorCode found = null;
        for (ErrorCode c : ErrorCode.values()) {
          if (c.wire().equals(code)) {
            found = c;
          }
        }
        yield new Event.Failure(ref, assertInstanceOf(ErrorCode.class, found, code), text(n, "message"));
      }
      default -> throw new AssertionError("unknown type " + type);
    };
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    assertTrue(v != null && v.isTextual(), () -> field + " must be a string: " + n);
    return v.textValue();
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.textValue()));
    return out;
  }

  private static List<Message> messages(JsonNode array) {
    List<Message> out = new ArrayList<>();
    array.forEach(e -> out.add(message(e)));
    return out;
  }

  private static Message message(JsonNode n) {
    return new Message(text(n, "room"), n.get("id").longValue(), text(n, "from"), text(n, "text"),
        n.get("ts").longValue());
  }
}
