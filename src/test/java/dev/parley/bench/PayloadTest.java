package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class PayloadTest {

  private static Payload.Stamp read(String frame) {
    Payload.Stamp stamp = new Payload.Stamp();
    ByteBuf buf = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
    try {
      assertTrue(stamp.read(buf), "a stamp in " + frame);
    } finally {
      buf.release();
    }
    return stamp;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 16, 64, 1000})
  void aTextIsPaddedToTheRequestedSizeButNeverCutBelowItsStamp(int size) {
    String stamp = "#123456@987654321012;";
    String text = Payload.text(123_456, 987_654_321_012L, size);
    assertTrue(text.startsWith(stamp), text);
    assertEquals(Math.max(size, stamp.length()), text.length());
    assertTrue(text.substring(stamp.length()).chars().allMatch(c -> c == 'x'), text);
  }

  @Test
  void theStampIsReadBackFromAPlainTextDelivery() {
    Payload.Stamp stamp = read("user17 said: " + Payload.text(42, 5_000_000_000L, 64));
    assertEquals(42, stamp.seq);
    assertEquals(5_000_000_000L, stamp.nanos);
  }

  @Test
  void theStampIsReadBackFromAJsonMessageFrame() {
    String frame = "{\"type\":\"message\",\"room\":\"general\",\"id\":9,\"from\":\"user3\",\"text\":\""
        + Payload.text(7, 1234, 64) + "\",\"ts\":1764090000000}";
    Payload.Stamp stamp = read(frame);
    assertEquals(7, stamp.seq);
    assertEquals(1234, stamp.nanos);
  }

  @Test
  void onlyTheReadableBytesOfABufferCount() {
    ByteBuf buf = Unpooled.copiedBuffer("#1@2;xxuser1 said: #3@4;", StandardCharsets.UTF_8);
    buf.readerIndex(7);
    Payload.Stamp stamp = new Payload.Stamp();
    try {
      assertTrue(stamp.read(buf));
    } finally {
      buf.release();
    }
    assertEquals(3, stamp.seq);
    assertEquals(4, stamp.nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"user1 said: barrier", "user1 said: #12", "user1 said: #12@", "user1 said: #12@34",
      "user1 said: #@34;", "user1 said: #12@;x", "user1 said: #12x34;", "#99999999999999999999@1;"})
  void framesWithoutAWholeStampHaveNone(String frame) {
    ByteBuf buf = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
    try {
      assertFalse(new Payload.Stamp().read(buf), frame);
    } finally {
      buf.release();
    }
  }

  @Test
  void negativeSequenceNumbersOrTimesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Payload.text(-1, 0, 64));
    assertThrows(IllegalArgumentException.class, () -> Payload.text(0, -1, 64));
  }
}
