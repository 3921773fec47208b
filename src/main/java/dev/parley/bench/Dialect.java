package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The two wire formats a scenario can speak: {@code chat} (the tutorial's plain text on
 * {@code /chat}) and {@code ws} (Parley's JSON protocol on {@code /ws}). Knows how to phrase a
 * send and a join, and how to tell what an incoming frame is, without decoding it into strings.
 */
enum Dialect {
  CHAT("/chat"),
  WS("/ws");

  /** What an incoming text frame is, as far as a benchmark cares. */
  enum Kind { DELIVERY, JOINED, ACK, ERROR, OTHER }

  private static final byte[] SAID = " said: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_LINE = "error:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TYPE = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "message\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JOINED = "joined\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACK = "ack\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "error\"".getBytes(StandardCharsets.US_ASCII);

  private final String path;

  Dialect(String path) {
    this.path = path;
  }

  String path() {
    return path;
  }

  /** Whether a socket must join a room to receive (on {@code /chat} every socket is in the room). */
  boolean joinsRooms() {
    return this == WS;
  }

  /**
   * The frame that posts {@code text} to {@code room}. The text must need no JSON escaping
   * (benchmark texts are {@link Payload}s or plain words).
   */
  String send(String room, String text) {
    return this == CHAT ? text : "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + text + "\"}";
  }

  /** The frame that joins {@code room}. */
  String join(String room) {
    return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
  }

  /** What {@code frame} (its readable bytes) is. */
  Kind classify(ByteBuf frame) {
    int from = frame.readerIndex();
    int end = frame.writerIndex();
    if (this == CHAT) {
      if (startsWith(frame, from, end, ERROR_LINE)) {
        return Kind.ERROR;
      }
      return indexOf(frame, from, end, SAID) >= 0 ? Kind.DELIVERY : Kind.OTHER;
    }
    int t = indexOf(frame, from, end, TYPE); // Parley writes "type" first; a snapshot's messages have none
    if (t < 0) {
      return Kind.OTHER;
    }
    t += TYPE.length;
    if (startsWith(frame, t, end, MESSAGE)) {
      return Kind.DELIVERY;
    } else if (startsWith(frame, t, end, ACK)) {
      return Kind.ACK;
    } else if (startsWith(frame, t, end, JOINED)) {
      return Kind.JOINED;
    } else if (startsWith(frame, t, end, ERROR)) {
      return Kind.ERROR;
    }
    return Kind.OTHER;
  }

  static boolean startsWith(ByteBuf buf, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int j = 0; j < prefix.length; j++) {
      if (buf.getByte(from + j) != prefix[j]) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(ByteBuf buf, int from, int end, byte[] needle) {
    for (int i = from, last = end - needle.length; i <= last; i++) {
      if (startsWith(buf, i, end, needle)) {
        return i;
      }
    }
    return -1;
  }

  /** picocli: {@code chat} or {@code ws}, in any case. */
  static final class Converter implements ITypeConverter<Dialect> {
    @Override
    public Dialect convert(String value) {
      try {
        return Dialect.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected chat or ws, got '" + value + "'");
      }
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
