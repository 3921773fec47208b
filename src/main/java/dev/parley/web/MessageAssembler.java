package dev.parley.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles a connection's data frames into whole messages, enforcing the size limit on
 * the reassembled message and decoding text strictly: a text that is not valid UTF-8 is a
 * protocol error (1007), never silently repaired.
 */
final class MessageAssembler {
  /** What a frame completed. */
  sealed interface Outcome {
    /** More frames of the same message are expected. */
    record Partial() implements Outcome {}

    record Text(String text) implements Outcome {}

    record Binary() implements Outcome {}

    record TooBig() implements Outcome {}

    record InvalidText() implements Outcome {}
  }

  private static final Outcome PARTIAL = new Outcome.Partial();
  private final int maxBytes;
  /** The first fragments of a fragmented text message; null between messages. */
  private ByteArrayOutputStream pending;
  private boolean binary;
  private boolean discarding;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes a data frame's payload (the caller keeps ownership of it); control frames are not for
   * this.
   */
  Outcome accept(boolean continuation, boolean binaryFrame, boolean fin, ByteBuf data) {
    if (!continuation) {
      binary = binaryFrame;
      pending = null;
      discarding = false;
    }
    if (discarding) {
      return fin ? (binary ? new Outcome.Binary() : PARTIAL) : PARTIAL;
    }
    if (binary) {
      // Binary messages are refused whole; their bytes are not kept.
      discarding = !fin;
      return fin ? new Outcome.Binary() : PARTIAL;
    }
    int size = (pending == null ? 0 : pending.size()) + data.readableBytes();
    if (size > maxBytes) {
      pending = null;
      return new Outcome.TooBig();
    }
    if (!fin || pending != null) {
      if (pending == null) {
        pending = new ByteArrayOutputStream(Math.min(size * 2, maxBytes));
      }
      pending.writeBytes(ByteBufUtil.getBytes(data));
      if (!fin) {
        return PARTIAL;
      }
    }
    ByteBuffer whole = pending == null ? data.nioBuffer() : ByteBuffer.wrap(pending.toByteArray());
    pending = null;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(whole)
          .toString();
      return new Outcome.Text(text);
    } catch (CharacterCodingException e) {
      return new Outcome.InvalidText();
    }
  }
}
