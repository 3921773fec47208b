package dev.parley.web;

import dev.parley.chat.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Events as complete, unmasked WebSocket text frames (header and UTF-8 payload in one direct
 * buffer), encoded once per broadcast.
 *
 * <p>The hub hands one event instance to every recipient in a row, so one cached frame per
 * protocol is enough for a message to be encoded once however many sockets receive it: each
 * socket is written a retained duplicate of the same buffer, which nobody copies before the
 * kernel does. The buffer goes to the socket as raw bytes, past Netty's WebSocket encoder, which
 * would otherwise build (and, for small frames, copy into) a new buffer per recipient.
 *
 * <p>Threading: the hub's thread only.
 */
final class TextFrames {
  private final ByteBufAllocator alloc;
  private final Slot json = new Slot();
  private final Slot plain = new Slot();

  TextFrames(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /**
   * The frame for an event in a protocol, or {@code null} when the protocol does not show it.
   * The buffer stays owned here: write a {@link ByteBuf#retainedDuplicate()} of it.
   */
  ByteBuf frame(Protocol protocol, Event event) {
    Slot slot = protocol instanceof PlainProtocol ? plain : json;
    if (slot.event != event) {
      if (slot.frame != null) {
        slot.frame.release();
      }
      String text = protocol.encode(event);
      slot.frame = text == null ? null : encode(alloc, text);
      slot.event = event;
    }
    return slot.frame;
  }

  /** A frame for one socket only; the caller owns it. */
  ByteBuf frame(String text) {
    return encode(alloc, text);
  }

  /** Lets go of the cached frames (the server is stopping). */
  void release() {
    for (Slot slot : new Slot[] {json, plain}) {
      if (slot.frame != null) {
        slot.frame.release();
        slot.frame = null;
      }
      slot.event = null;
    }
  }

  /** A final text frame (FIN, opcode 1), unmasked as a server's frames are (RFC 6455, 5.1). */
  static ByteBuf encode(ByteBufAllocator alloc, String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuf frame = alloc.directBuffer(header + length);
    frame.writeByte(0x81);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length < 65_536) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    ByteBufUtil.reserveAndWriteUtf8(frame, text, length);
    return frame;
  }

  private static final class Slot {
    Event event;
    ByteBuf frame;
  }
}
