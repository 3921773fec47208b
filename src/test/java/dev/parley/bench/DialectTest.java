package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.TypeConversionException;

@Timeout(60)
class DialectTest {

  private static Dialect.Kind classify(Dialect dialect, String frame) {
    ByteBuf buf = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
    try {
      return dialect.classify(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void plainTextLinesAreDeliveriesErrorsOrAnswers() {
    assertEquals(Dialect.Kind.DELIVERY, classify(Dialect.CHAT, "user4 said: #1@2;xx"));
    assertEquals(Dialect.Kind.ERROR, classify(Dialect.CHAT, "error: rate_limited: slow down"));
    assertEquals(Dialect.Kind.OTHER, classify(Dialect.CHAT, "you are now bob"));
  }

  @Test
  void jsonFramesAreToldApartByTheirType() {
    assertEquals(Dialect.Kind.DELIVERY, classify(Dialect.WS,
        "{\"type\":\"message\",\"room\":\"general\",\"id\":1,\"from\":\"a\",\"text\":\"#1@2;\",\"ts\":3}"));
    assertEquals(Dialect.Kind.ACK, classify(Dialect.WS, "{\"type\":\"ack\",\"room\":\"general\",\"id\":1,\"ts\":3}"));
    assertEquals(Dialect.Kind.ERROR,
        classify(Dialect.WS, "{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"x\"}"));
    assertEquals(Dialect.Kind.OTHER, classify(Dialect.WS, "{\"type\":\"hello\",\"name\":\"user1\",\"protocol\":1}"));
    assertEquals(Dialect.Kind.OTHER, classify(Dialect.WS, "{\"type\":\"messages\"}"));
  }

  @Test
  void aJoinedSnapshotIsNotADeliveryThoughItHoldsMessages() {
    assertEquals(Dialect.Kind.JOINED, classify(Dialect.WS, "{\"type\":\"joined\",\"room\":\"general\",\"members\":[],"
        + "\"lastId\":1,\"messages\":[{\"room\":\"general\",\"id\":1,\"from\":\"a\",\"text\":\"#1@2;\",\"ts\":3}]}"));
  }

  @Test
  void sendsArePlainTextOnChatAndJsonOnWs() {
    assertEquals("#1@2;", Dialect.CHAT.send("general", "#1@2;"));
    assertEquals("{\"type\":\"send\",\"room\":\"r1\",\"text\":\"#1@2;\"}", Dialect.WS.send("r1", "#1@2;"));
  }

  @Test
  void theProtocolOptionTakesEitherNameInAnyCase() {
    Dialect.Converter converter = new Dialect.Converter();
    assertEquals(Dialect.CHAT, converter.convert("chat"));
    assertEquals(Dialect.WS, converter.convert("WS"));
    assertThrows(TypeConversionException.class, () -> converter.convert("http"));
  }
}
