package dev.parley.bench;

import io.netty.buffer.ByteBuf;

/**
 * The text of a benchmark message: {@code #<seq>@<intendedNanos>;} padded with {@code x} to the
 * requested size. The stamp survives both wire formats untouched (no character in it needs JSON
 * escaping, none is a line break, and {@code #} cannot occur in a user or room name), so a
 * receiver finds it by scanning for the first {@code #} of the frame, wherever the server puts
 * the text ({@code <name> said: <text>} or {@code "text":"<text>"}).
 */
final class Payload {
  static final byte MARK = '#';

  private Payload() {
  }

  /** The text for message {@code seq} meant to be sent at {@code intendedNanos} ({@link Clock}). */
  static String text(long seq, long intendedNanos, int size) {
    if (seq < 0 || intendedNanos < 0) {
      throw new IllegalArgumentException("seq and time must not be negative");
    }
    StringBuilder b = new StringBuilder(Math.max(size, 32));
    b.append('#').append(seq).append('@').append(intendedNanos).append(';');
    while (b.length() < size) {
      b.append('x');
    }
    return b.toString();
  }

  /** A decoded stamp, reused by its reader (one per connection, so no allocation per frame). */
  static final class Stamp {
    long seq;
    long nanos;

    /** Reads the first stamp in the readable bytes of {@code frame}; false when there is none. */
    boolean read(ByteBuf frame) {
      int end = frame.writerIndex();
      int i = frame.indexOf(frame.readerIndex(), end, MARK);
      if (i < 0) {
        return false;
      }
      long s = 0;
      int digits = 0;
      for (i++; i < end; i++, digits++) {
        byte c = frame.getByte(i);
        if (c < '0' || c > '9') {
          break;
        }
        s = s * 10 + (c - '0');
      }
      if (digits == 0 || digits > 18 || i >= end || frame.getByte(i) != '@') {
        return false;
      }
      long n = 0;
      digits = 0;
      for (i++; i < end; i++, digits++) {
        byte c = frame.getByte(i);
        if (c < '0' || c > '9') {
          break;
        }
        n = n * 10 + (c - '0');
      }
      if (digits == 0 || digits > 18 || i >= end || frame.getByte(i) != ';') {
        return false;
      }
      seq = s;
      nanos = n;
      return true;
    }
  }
}
