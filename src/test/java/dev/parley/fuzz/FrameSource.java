package dev.parley.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A fast, seeded source of hostile WebSocket frames for the end-to-end fuzz run: the same kinds
 * of input as {@link FuzzFrames} (well-shaped commands, commands with one thing wrong, mangled
 * JSON, any JSON value, deep nesting, huge numbers, lone surrogates, control characters,
 * {@code /chat} lines), plus what only the transport sees: binary messages, fragmented messages,
 * invalid UTF-8 and messages over the size limit. jqwik's generators shrink, but cost about a
 * millisecond a frame; this costs microseconds, which a million frames need.
 */
public final class FrameSource {
  /** What a frame is, on the wire. */
  public enum Kind {
    /** One text message. */
    TEXT,
    /** One text message split into several frames (fragments). */
    FRAGMENTED,
    /** A binary message: answered with bad_request. */
    BINARY,
    /** A text message whose bytes are not UTF-8: closed with 1007. */
    INVALID_UTF8,
    /** A message over the size limit: closed with 1009. */
    TOO_BIG
  }

  /** One generated message: its kind, its text (TEXT, FRAGMENTED) or bytes (the others). */
  public record Frame(Kind kind, String text, byte[] bytes) {}

  private static final String[] TYPES = {"join", "leave", "send", "typing", "nick", "history", "who"};
  private static final String[] BAD_TYPES = {"hello", "message", "ack", "error", "JOIN", "", "join ", "presence",
      "ping", "\ud800", "x".repeat(40) + "\ud83d\ude00"};
  private static final String[] ODD_NUMBERS = {"1e400", "-1e400", "1E2", "1e-400", "-0", "0.0", "1.0", "1.5", "00",
      "01", "+1", ".5", "1.", "0x10", "NaN", "Infinity", "-Infinity", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649", "1e18",
      "null", "\"5\"", "true", "[]", "{}", "[1]"};
  private static final String[] BOUNDARY_NUMBERS = {"0", "1", "49", "50", "99", "100", "101", "500", "501", "-1", "-2",
      "2", "3"};
  private static final String[] ODD_ROOMS = {"", "General", "-a", "_a", "a b", "a".repeat(32), "a".repeat(33),
      "caf\u00e9", "\u0430", "general\n", " general", "a/b", "a.b", "A"};
  private static final String[] NAMES = {"alice", "Alice", "ALICE", "bob", "b.o-b_", "carol", "x", "user1", "USER2",
      "uSeR0", "user", "user-1", "user1a", "", " ", "al ice", "\u0430lice", "caf\u00e9", "a".repeat(32),
      "a".repeat(33), "user" + "9".repeat(40)};
  private static final String[] PLAIN_COMMANDS = {"/who", "/help", "/who ", " /who", "/WHO", "/", "//", "/ who",
      "/nick", "/user", "/nick ", "/help me", "/quit", "/me waves", "/who\n/help"};
  private static final String[] SPACES = {" ", "\t", "\n", "\r", "\r\n", "\u2028", "\u0085", "\u00a0", "\u3000",
      "\ufeff", "\u200b", "\u000b", "\u000c"};
  private static final String[] SYNTAX = {"\"", "\\", "/", "{", "}", "[", "]", ":", ",", "\\u0000", "\\ud800"};

  private final Random random;
  private final int maxFrame;

  /**
   * @param seed the seed: the same seed gives the same frames
   * @param maxFrame the server's message size limit, to aim TOO_BIG just above it
   */
  public FrameSource(long seed, int maxFrame) {
    this.random = new Random(seed);
    this.maxFrame = maxFrame;
  }

  // ---------------------------------------------------------------- frames

  /** The next frame for a {@code /ws} socket. */
  public Frame nextJson() {
    return transport(() -> jsonFrame());
  }

  /** The next frame for a {@code /chat} socket. */
  public Frame nextPlain() {
    return transport(() -> plainLine());
  }

  private Frame transport(java.util.function.Supplier<String> text) {
    int roll = random.nextInt(1000);
    if (roll < 40) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      return new Frame(Kind.BINARY, null, bytes);
    }
    if (roll < 44) {
      return new Frame(Kind.INVALID_UTF8, null, invalidUtf8());
    }
    if (roll < 47) {
      int size = maxFrame + 1 + random.nextInt(random.nextBoolean() ? 16 : maxFrame);
      return new Frame(Kind.TOO_BIG, null, tooBig(size));
    }
    String t = text.get();
    if (roll < 100 && t.length() > 1) {
      return new Frame(Kind.FRAGMENTED, t, null);
    }
    return new Frame(Kind.TEXT, t, null);
  }

  /** Splits a text into 2 to 4 fragments (never inside a surrogate pair, which would make each fragment invalid). */
  public List<String> fragments(String text) {
    List<Integer> cuts = new ArrayList<>();
    int parts = 2 + random.nextInt(3);
    for (int i = 1; i < parts; i++) {
      int at = 1 + random.nextInt(text.length() - 1);
      if (Character.isLowSurrogate(text.charAt(at)) && Character.isHighSurrogate(text.charAt(at - 1))) {
        at--;
      }
      if (at > 0) {
        cuts.add(at);
      }
    }
    cuts.add(0);
    cuts.add(text.length());
    Collections.sort(cuts);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < cuts.size(); i++) {
      out.add(text.substring(cuts.get(i - 1), cuts.get(i)));
    }
    return out;
  }

  private byte[] invalidUtf8() {
    byte[][] bad = {
        {(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
    byte[] head = ("{\"type\":\"send\",\"room\":\"general\",\"text\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] middle = bad[random.nextInt(bad.length)];
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + middle.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(middle, 0, out, head.length, middle.length);
    System.arraycopy(tail, 0, out, head.length + middle.length, tail.length);
    return out;
  }

  private static byte[] tooBig(int size) {
    byte[] out = new byte[size];
    java.util.Arrays.fill(out, (byte) 'x');
    byte[] head = "{\"type\":\"send\",\"room\":\"general\",\"text\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, out, 0, head.length);
    out[size - 2] = '"';
    out[size - 1] = '}';
    return out;
  }

  // ---------------------------------------------------------------- JSON

  /** Any JSON frame a client might send to {@code /ws}. */
  public String jsonFrame() {
    int roll = random.nextInt(100);
    if (roll < 55) {
      return render(command(TYPES[random.nextInt(TYPES.length)]));
    } else if (roll < 75) {
      return render(twisted());
    } else if (roll < 85) {
      return mangle(render(command(TYPES[random.nextInt(TYPES.length)])));
    } else if (roll < 93) {
      return jsonValue(3);
    } else if (roll < 98) {
      return text(40);
    }
    return deep();
  }

  private record Field(String key, String json) {}

  private List<Field> command(String type) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("type", "\"" + type + "\""));
    switch (type) {
      case "join" -> {
        fields.add(new Field("room", literal(room())));
        optional(fields, "since", this::number);
      }
      case "send" -> {
        fields.add(new Field("room", literal(room())));
        fields.add(new Field("text", literal(messageText())));
        optional(fields, "cid", this::cid);
      }
      case "nick" -> fields.add(new Field("name", literal(name())));
      case "history" -> {
        fields.add(new Field("room", literal(room())));
        optional(fields, "before", this::number);
        optional(fields, "limit", this::number);
      }
      default -> fields.add(new Field("room", literal(room())));
    }
    if (random.nextInt(10) != 0) {
      fields.add(new Field("ref", ref()));
    }
    return fields;
  }

  private void optional(List<Field> fields, String key, java.util.function.Supplier<String> value) {
    if (random.nextInt(3) != 0) {
      fields.add(new Field(key, value.get()));
    }
  }

  private List<Field> twisted() {
    List<Field> fields = command(TYPES[random.nextInt(TYPES.length)]);
    int i = random.nextInt(fields.size());
    String junk = jsonValue(2);
    switch (random.nextInt(6)) {
      case 0 -> fields.remove(i);
      case 1 -> fields.set(i, new Field(fields.get(i).key(), junk));
      case 2 -> fields.add(new Field(fields.get(i).key(), junk));
      case 3 -> fields.set(0, new Field("type", literal(BAD_TYPES[random.nextInt(BAD_TYPES.length)])));
      case 4 -> fields.add(new Field("x" + random.nextInt(100), junk));
      default -> fields.add(0, new Field(fields.get(i).key(), junk));
    }
    return fields;
  }

  private String render(List<Field> fields) {
    Collections.shuffle(fields, random);
    String ws = random.nextInt(4) == 0 ? SPACES[random.nextInt(5)] : "";
    StringBuilder out = new StringBuilder("{").append(ws);
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',').append(ws);
      }
      out.append('"').append(fields.get(i).key()).append('"').append(ws).append(':').append(fields.get(i).json());
    }
    return out.append(ws).append('}').toString();
  }

  private String mangle(String frame) {
    int i = random.nextInt(frame.length() + 1);
    return switch (random.nextInt(4)) {
      case 0 -> frame.substring(0, i);
      case 1 -> i < frame.length() ? frame.substring(0, i) + frame.substring(i + 1) : frame + "}";
      case 2 -> frame.substring(0, i) + piece() + frame.substring(i);
      default -> i < frame.length() ? frame.substring(0, i) + piece() + frame.substring(i + 1) : frame + " x";
    };
  }

  private String jsonValue(int depth) {
    int roll = random.nextInt(depth > 0 ? 10 : 6);
    return switch (roll) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> String.valueOf(random.nextLong());
      case 3 -> number();
      case 4, 5 -> literal(text(16));
      case 6, 7 -> {
        StringBuilder out = new StringBuilder("[");
        for (int i = random.nextInt(4); i > 0; i--) {
          out.append(jsonValue(depth - 1)).append(i > 1 ? "," : "");
        }
        yield out.append(']').toString();
      }
      default -> {
        StringBuilder out = new StringBuilder("{");
        for (int i = random.nextInt(4); i > 0; i--) {
          out.append(literal(random.nextBoolean() ? TYPES[random.nextInt(TYPES.length)] : text(4))).append(':')
              .append(jsonValue(depth - 1)).append(i > 1 ? "," : "");
        }
        yield out.append('}').toString();
      }
    };
  }

  private String deep() {
    String open = new String[] {"[", "{\"a\":", "{\"room\":"}[random.nextInt(3)];
    int n = 500 + random.nextInt(4500);
    String head = "{\"type\":\"join\",\"room\":" + open.repeat(n) + "1";
    return random.nextBoolean() ? head + (open.equals("[") ? "]" : "}").repeat(n) + "}" : head;
  }

  /** A JSON string literal: escaped properly, every char \\u-escaped, or raw (often invalid JSON). */
  private String literal(String s) {
    int style = random.nextInt(100);
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (style >= 95) {
        out.append(c);
      } else if (style >= 85) {
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

  private String number() {
    int roll = random.nextInt(100);
    if (roll < 35) {
      return String.valueOf(random.nextInt(11) - 2);
    } else if (roll < 60) {
      return BOUNDARY_NUMBERS[random.nextInt(BOUNDARY_NUMBERS.length)];
    } else if (roll < 75) {
      return String.valueOf(random.nextLong());
    } else if (roll < 97) {
      return ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
    }
    StringBuilder digits = new StringBuilder("9");
    for (int i = 19 + random.nextInt(1200); i > 0; i--) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    return digits.toString();
  }

  private String ref() {
    int roll = random.nextInt(100);
    if (roll < 70) {
      return "\"f" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "\"";
    } else if (roll < 80) {
      return "\"" + "r".repeat(60 + random.nextInt(11)) + "\"";
    } else if (roll < 90) {
      return literal(text(40));
    } else if (roll < 95) {
      return "null";
    }
    return jsonValue(1);
  }

  private String cid() {
    return random.nextInt(5) < 3 ? "\"c" + random.nextInt(5) + "\"" : ref();
  }

  // ---------------------------------------------------------------- strings

  /** A room name: mostly from the pool, sometimes any valid name, sometimes one just outside the pattern. */
  public String room() {
    int roll = random.nextInt(100);
    if (roll < 60) {
      return FuzzFrames.ROOM_POOL.get(random.nextInt(FuzzFrames.ROOM_POOL.size()));
    } else if (roll < 70) {
      StringBuilder out = new StringBuilder().append((char) ('a' + random.nextInt(26)));
      for (int i = random.nextInt(32); i > 0; i--) {
        out.append("abcdefghijklmnopqrstuvwxyz0123456789_-".charAt(random.nextInt(38)));
      }
      return out.toString();
    } else if (roll < 85) {
      return ODD_ROOMS[random.nextInt(ODD_ROOMS.length)];
    }
    return text(12);
  }

  /** A user name: valid ones, guest names, case variants, too long, look-alikes, anything. */
  public String name() {
    int roll = random.nextInt(100);
    if (roll < 50) {
      return NAMES[random.nextInt(NAMES.length)];
    } else if (roll < 65) {
      StringBuilder out = new StringBuilder();
      for (int i = 1 + random.nextInt(33); i > 0; i--) {
        out.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-".charAt(random.nextInt(65)));
      }
      return out.toString();
    } else if (roll < 75) {
      return "user" + (random.nextLong() & Long.MAX_VALUE);
    }
    return text(12);
  }

  /** A message text: mostly ordinary, sometimes hostile, blank, or around the 4000 code point limit. */
  public String messageText() {
    int roll = random.nextInt(100);
    if (roll < 50) {
      StringBuilder out = new StringBuilder();
      for (int i = 1 + random.nextInt(40); i > 0; i--) {
        out.append("abcdefghijklmnopqrstuvwxyz .!".charAt(random.nextInt(29)));
      }
      return out.toString();
    } else if (roll < 90) {
      return text(40);
    } else if (roll < 96) {
      return new String[] {"", " ", "\t\n", "\u3000", "\u00a0 \u2028", "a\nb", "a\r\nb\rc", "\ud83d\ude00"}[random
          .nextInt(8)];
    } else if (roll < 98) {
      return "x".repeat(3990 + random.nextInt(21));
    }
    return "\ud83d\ude00".repeat(3990 + random.nextInt(21));
  }

  /** A hostile text of up to {@code maxPieces} pieces. */
  public String text(int maxPieces) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(maxPieces + 1); i > 0; i--) {
      out.append(piece());
    }
    return out.toString();
  }

  private String piece() {
    int roll = random.nextInt(80);
    if (roll < 40) {
      return String.valueOf((char) (' ' + random.nextInt(95)));
    } else if (roll < 46) {
      return String.valueOf((char) random.nextInt(0x20));
    } else if (roll < 48) {
      return String.valueOf((char) (0x7f + random.nextInt(0x21)));
    } else if (roll < 58) {
      return String.valueOf((char) (0xa0 + random.nextInt(0xd800 - 0xa0)));
    } else if (roll < 61) {
      return String.valueOf((char) (0xd800 + random.nextInt(0x800)));
    } else if (roll < 64) {
      return String.valueOf((char) (0xe000 + random.nextInt(0x2000)));
    } else if (roll < 70) {
      return Character.toString(0x10000 + random.nextInt(0x100000));
    } else if (roll < 76) {
      return SPACES[random.nextInt(SPACES.length)];
    }
    return SYNTAX[random.nextInt(SYNTAX.length)];
  }

  // ---------------------------------------------------------------- /chat

  /** A line a client might send to {@code /chat}: messages, commands, near-commands. */
  public String plainLine() {
    int roll = random.nextInt(100);
    if (roll < 40) {
      return messageText();
    } else if (roll < 50) {
      return PLAIN_COMMANDS[random.nextInt(PLAIN_COMMANDS.length)];
    } else if (roll < 70) {
      return new String[] {"/nick ", "/user ", "/nick\t", "/user  ", "/nick\n"}[random.nextInt(5)] + name();
    } else if (roll < 85) {
      return "/" + text(20);
    } else if (roll < 95) {
      return jsonFrame();
    }
    return text(60);
  }
}
