package dev.parley.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
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
  private Buffer pending;
  private boolean binary;
  private boolean discarding;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes a data frame (text, binary or continuation); control frames are not for this. */
  Outcome accept(WebSocketFrame frame) {
    if (!frame.isContinuation()) {
      binary = frame.isBinary();
      pending = null;
      discarding = false;
    }
    if (discarding) {
      return frame.isFinal() ? (binary ? new Outcome.Binary() : PARTIAL) : PARTIAL;
    }
    Buffer data = frame.binaryData();
    if (binary) {
      // Binary messages are refused whole; their bytes are not kept.
      discarding = !frame.isFinal();
      return frame.isFinal() ? new Outcome.Binary() : PARTIAL;
    }
    int size = (pending == null ? 0 : pending.length()) + data.length();
    if (size > maxBytes) {
      pending = null;
      return new Outcome.TooBig();
    }
    if (!frame.isFinal()) {
      pending = pending == null ? Buffer.buffer(Math.min(size * 2, maxBytes)).appendBuffer(data) : pending.appendBuffer(data);
      return PARTIAL;
    }
    Buffer whole = pending == null ? data : pending.appendBuffer(data);
    pending = null;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(whole.getBytes()))
          .toString();
      return new Outcome.Text(text);
    } catch (CharacterCodingException e) {
      return new Outcome.InvalidText();
    }
  }
}
