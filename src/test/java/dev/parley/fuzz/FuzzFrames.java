package dev.parley.fuzz;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of what a hostile or careless client sends: JSON frames for {@code /ws} (well-shaped
 * commands, commands with one thing wrong, mangled JSON, any JSON value, deep nesting, huge
 * numbers, duplicate keys, lone surrogates and control characters), lines for {@code /chat}, and
 * the names, rooms and {@code history} arguments inside them. Shared by the property tests and the
 * end-to-end fuzz test, which draws from them with a seeded {@link java.util.Random}.
 */
public final class FuzzFrames {
  public static final List<String> COMMAND_TYPES = List.of("join", "leave", "send", "typing", "nick", "history", "who");
  /** Rooms the generated commands mostly use, so that joins, sends and leaves meet. */
  public static final List<String> ROOM_POOL = List.of("general", "calm", "a", "room-1", "x_y", "z9");
  /** Client message ids mostly come from a small pool, so that retries (idempotent sends) happen. */
  static final List<String> CID_POOL = List.of("c1", "c2", "c3", "c4", "c5");

  private FuzzFrames() {}

  // ---------------------------------------------------------------- characters and strings

  /** One "character" of a hostile text: printable, control, any BMP, a lone surrogate, a pair, a line break… */
  public static Arbitrary<String> piece() {
    return Arbitraries.frequencyOf(
        Tuple.of(40, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
        Tuple.of(6, Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().range('\u007f', '\u009f').map(String::valueOf)),
        Tuple.of(10, Arbitraries.chars().range('\u00a0', '\ud7ff').map(String::valueOf)),
        Tuple.of(3, Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf)),
        Tuple.of(3, Arbitraries.chars().range('\ue000', '\uffff').map(String::valueOf)),
        Tuple.of(6, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(6, Arbitraries.of(" ", "\t", "\n", "\r", "\r\n", "\u2028", "\u0085", "\u00a0", "\u3000", "\ufeff",
            "\u200b", "\u000b", "\u000c")),
        Tuple.of(4, Arbitraries.of("\"", "\\", "/", "{", "}", "[", "]", ":", ",", "\\u0000", "\\ud800")));
  }

  /** A hostile text of up to {@code maxPieces} pieces (up to twice as many chars). */
  public static Arbitrary<String> text(int maxPieces) {
    return piece().list().ofMaxSize(maxPieces).map(pieces -> String.join("", pieces));
  }

  /** A message text: mostly ordinary, sometimes hostile, blank, or around the 4000 code point limit. */
  public static Arbitrary<String> messageText() {
    return Arbitraries.frequencyOf(
        Tuple.of(40, Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '.', '!').ofMinLength(1)
            .ofMaxLength(40)),
        Tuple.of(30, text(40)),
        Tuple.of(5, Arbitraries.of("", " ", "\t\n", "\u3000", "\u00a0 \u2028", "a\nb", "a\r\nb\rc", "\ud83d\ude00")),
        Tuple.of(3, Arbitraries.integers().between(3990, 4010).map(n -> "x".repeat(n))),
        Tuple.of(2, Arbitraries.integers().between(3990, 4010).map(n -> "\ud83d\ude00".repeat(n))));
  }

  /** A room name: mostly from the pool, sometimes any valid name, sometimes one just outside the pattern. */
  public static Arbitrary<String> room() {
    return Arbitraries.frequencyOf(
        Tuple.of(60, Arbitraries.of(ROOM_POOL)),
        Tuple.of(10, Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_', '-')
                    .ofMaxLength(31))
            .as((a, b) -> a + b)),
        Tuple.of(15, Arbitraries.of("", "General", "-a", "_a", "a b", "a".repeat(32), "a".repeat(33), "caf\u00e9",
            "\u0430", "general\n", " general", "a/b", "a.b", "A")),
        Tuple.of(15, text(12)));
  }

  /** A user name: valid, a guest name (reserved), a case variant, too long, unicode look-alikes, anything. */
  public static Arbitrary<String> name() {
    return Arbitraries.frequencyOf(
        Tuple.of(35, Arbitraries.of("alice", "Alice", "ALICE", "bob", "b.o-b_", "carol", "x")),
        Tuple.of(15, Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
            .withChars('_', '.', '-').ofMinLength(1).ofMaxLength(33)),
        Tuple.of(15, Arbitraries.of("user1", "USER2", "uSeR0", "user", "user-1", "user1a", "", " ", "al ice",
            "\u0430lice", "caf\u00e9", "a".repeat(32), "a".repeat(33), "user" + "9".repeat(40))),
        Tuple.of(10, Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> "user" + n)),
        Tuple.of(25, text(12)));
  }

  // ---------------------------------------------------------------- JSON pieces

  /** A JSON string literal of {@code s}, escaped properly, with every char as a \\u escape, or raw (often invalid). */
  public static Arbitrary<String> jsonString(Arbitrary<String> content) {
    return Combinators.combine(content, Arbitraries.integers().between(0, 99)).as(FuzzFrames::literal);
  }

  static String literal(String s, int style) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (style >= 95) {
        out.append(c); // raw: a quote, a backslash or a control character breaks the JSON, as it should
      } else if (style >= 85 || (style % 7 == 0 && c > 0x7e)) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Numbers that parsers trip over. */
  public static Arbitrary<String> oddNumber() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("1e400", "-1e400", "1E2", "1e-400", "-0", "0.0", "1.0", "1.5", "00", "01", "+1",
            ".5", "1.", "0x10", "NaN", "Infinity", "-Infinity", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649",
            "123456789012345678901234567890e-10", "1e18", "1E+2", "- 1", "1_000")),
        Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(1200).map(d -> "9" + d)),
        Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6).map(d -> "1e" + d)));
  }

  /** Any JSON value (and some almost-JSON), nested up to {@code depth}. */
  public static Arbitrary<String> jsonValue(int depth) {
    Arbitrary<String> scalar = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just("null")),
        Tuple.of(2, Arbitraries.of("true", "false", "True", "nul")),
        Tuple.of(4, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(3, Arbitraries.integers().between(-3, 120).map(String::valueOf)),
        Tuple.of(2, Arbitraries.doubles().map(String::valueOf)),
        Tuple.of(2, oddNumber()),
        Tuple.of(6, jsonString(text(16))));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<String> nested = Arbitraries.lazy(() -> jsonValue(depth - 1));
    Arbitrary<String> array = nested.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> key = jsonString(Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("type", "ref", "room", "text", "cid", "since", "before", "limit", "name", "")),
        Tuple.of(1, text(6))));
    Arbitrary<String> object = Combinators.combine(key, nested).as((k, v) -> k + ":" + v).list().ofMaxSize(4)
        .map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(Tuple.of(6, scalar), Tuple.of(2, array), Tuple.of(2, object));
  }

  // ---------------------------------------------------------------- commands

  /** One field of a command object: its key and its JSON value text. */
  record Field(String key, String json) {}

  /** A ref or cid: short strings around the 64-character limit, sometimes of another JSON type. */
  static Arbitrary<String> refValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(60, jsonString(Arbitraries.strings().alpha().numeric().withChars('-', '_').ofMaxLength(12))),
        Tuple.of(10, Arbitraries.integers().between(60, 70).map(n -> "\"" + "r".repeat(n) + "\"")),
        Tuple.of(10, jsonString(text(40))),
        Tuple.of(5, Arbitraries.just("null")),
        Tuple.of(5, jsonValue(1)));
  }

  /** A whole-number argument around the boundaries the contract sets (since, before, limit), or not a number. */
  static Arbitrary<String> numberValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.integers().between(-2, 8).map(String::valueOf)),
        Tuple.of(20, Arbitraries.of("0", "1", "49", "50", "99", "100", "101", "500", "501", "-1",
            String.valueOf(Integer.MAX_VALUE), String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE))),
        Tuple.of(15, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(10, oddNumber()),
        Tuple.of(10, Arbitraries.of("null", "\"5\"", "true", "[]", "{}", "[1]"))
    );
  }

  static Arbitrary<String> valueFor(String key) {
    return switch (key) {
      case "room" -> jsonString(room());
      case "text" -> jsonString(messageText());
      case "name" -> jsonString(name());
      case "ref", "cid" -> key.equals("cid")
          ? Arbitraries.frequencyOf(Tuple.of(3, jsonString(Arbitraries.of(CID_POOL))), Tuple.of(2, refValue()))
          : refValue();
      case "since", "before", "limit" -> numberValue();
      default -> jsonValue(2);
    };
  }

  /** The fields each command type takes, required ones first. */
  static List<String> fieldsOf(String type) {
    return switch (type) {
      case "join" -> List.of("room", "since");
      case "leave", "typing", "who" -> List.of("room");
      case "send" -> List.of("room", "text", "cid");
      case "nick" -> List.of("name");
      case "history" -> List.of("room", "before", "limit");
      default -> List.of();
    };
  }

  /** A well-shaped command of {@code type}: its fields present (optional ones sometimes), values plausible. */
  static Arbitrary<List<Field>> commandFields(String type) {
    List<String> keys = fieldsOf(type);
    Arbitrary<List<Field>> fields = Arbitraries.just(List.<Field>of());
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      boolean optional = !(i == 0 || (type.equals("send") && key.equals("text")));
      Arbitrary<String> value = valueFor(key);
      Arbitrary<List<Field>> before = fields;
      fields = optional
          ? Combinators.combine(before, value, Arbitraries.integers().between(0, 2)).as((l, v, keep) -> keep == 0
              ? l : append(l, new Field(key, v)))
          : Combinators.combine(before, value).as((l, v) -> append(l, new Field(key, v)));
    }
    Arbitrary<List<Field>> withRef = Combinators.combine(fields, refValue(), Arbitraries.integers().between(0, 9))
        .as((l, ref, noRef) -> noRef == 0 ? l : append(l, new Field("ref", ref)));
    return withRef.map(l -> prepend(new Field("type", "\"" + type + "\""), l));
  }

  private static List<Field> append(List<Field> l, Field f) {
    List<Field> out = new ArrayList<>(l);
    out.add(f);
    return out;
  }

  private static List<Field> prepend(Field f, List<Field> l) {
    List<Field> out = new ArrayList<>();
    out.add(f);
    out.addAll(l);
    return out;
  }

  /** A well-shaped command (rules may still refuse it: rooms, names, texts and numbers are hostile). */
  public static Arbitrary<String> command() {
    return commandOf(Arbitraries.of(COMMAND_TYPES)).flatMap(FuzzFrames::render);
  }

  static Arbitrary<List<Field>> commandOf(Arbitrary<String> types) {
    return types.flatMap(FuzzFrames::commandFields);
  }

  /** Renders fields as a JSON object, in a shuffled order, with random white space. */
  static Arbitrary<String> render(List<Field> fields) {
    return Combinators.combine(Arbitraries.shuffle(fields), Arbitraries.of("", "", "", " ", "\n", "\t", "\r\n "))
        .as((shuffled, ws) -> {
          StringBuilder out = new StringBuilder("{").append(ws);
          for (int i = 0; i < shuffled.size(); i++) {
            if (i > 0) {
              out.append(',').append(ws);
            }
            out.append('"').append(shuffled.get(i).key()).append('"').append(ws).append(':')
                .append(shuffled.get(i).json());
          }
          return out.append(ws).append('}').toString();
        });
  }

  /** A command with one thing wrong: a field missing, of the wrong type, duplicated, or an unknown type. */
  public static Arbitrary<String> twisted() {
    Arbitrary<List<Field>> base = commandOf(Arbitraries.of(COMMAND_TYPES));
    return Combinators.combine(base, Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 1000),
        jsonValue(2), Arbitraries.of("hello", "message", "ack", "error", "JOIN", "", "join ", "presence", "ping"))
        .as((fields, how, at, junk, badType) -> {
          List<Field> out = new ArrayList<>(fields);
          int i = at % out.size();
          switch (how) {
            case 0 -> out.remove(i);
            case 1 -> out.set(i, new Field(out.get(i).key(), junk));
            case 2 -> out.add(new Field(out.get(i).key(), junk));
            case 3 -> out.set(0, new Field("type", "\"" + badType + "\""));
            case 4 -> out.add(new Field(junk.length() < 20 ? "x" + at : "extra", junk));
            default -> out.add(0, new Field(out.get(i).key(), junk));
          }
          return out;
        })
        .flatMap(FuzzFrames::render);
  }

  /** A command's JSON text mangled: cut short, a char deleted, inserted or replaced. */
  public static Arbitrary<String> mangled() {
    return Combinators.combine(command(), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
        piece()).as((frame, how, at, junk) -> {
          int i = at % (frame.length() + 1);
          return switch (how) {
            case 0 -> frame.substring(0, i);
            case 1 -> i < frame.length() ? frame.substring(0, i) + frame.substring(i + 1) : frame + "}";
            case 2 -> frame.substring(0, i) + junk + frame.substring(i);
            default -> i < frame.length() ? frame.substring(0, i) + junk + frame.substring(i + 1) : frame + " x";
          };
        });
  }

  /** Nesting far deeper than any parser should follow. */
  public static Arbitrary<String> deep() {
    return Combinators.combine(Arbitraries.integers().between(500, 5000), Arbitraries.of("[", "{\"a\":", "{\"room\":"),
        Arbitraries.integers().between(0, 1)).as((n, open, closed) -> {
          String close = open.equals("[") ? "]" : "}";
          String head = "{\"type\":\"join\",\"room\":" + open.repeat(n) + "1";
          return closed == 1 ? head + close.repeat(n) + "}" : head;
        });
  }

  /** Any JSON frame a client might send to {@code /ws}. */
  public static Arbitrary<String> jsonFrame() {
    return Arbitraries.frequencyOf(
        Tuple.of(55, command()),
        Tuple.of(20, twisted()),
        Tuple.of(10, mangled()),
        Tuple.of(8, jsonValue(3)),
        Tuple.of(5, text(40)),
        Tuple.of(2, deep()));
  }

  // ---------------------------------------------------------------- /chat

  /** A line a client might send to {@code /chat}: messages, commands, near-commands. */
  public static Arbitrary<String> plainLine() {
    return Arbitraries.frequencyOf(
        Tuple.of(40, messageText()),
        Tuple.of(10, Arbitraries.of("/who", "/help", "/who ", " /who", "/WHO", "/", "//", "/ who", "/nick", "/user",
            "/nick ", "/help me", "/quit", "/me waves", "/who\n/help")),
        Tuple.of(20, Combinators.combine(Arbitraries.of("/nick ", "/user ", "/nick\t", "/user  ", "/nick\n"), name())
            .as(String::concat)),
        Tuple.of(15, Combinators.combine(Arbitraries.just("/"), text(20)).as(String::concat)),
        Tuple.of(10, jsonFrame()),
        Tuple.of(5, text(60)));
  }
}
