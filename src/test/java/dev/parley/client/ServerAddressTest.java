package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The URL forms the client accepts. */
@Timeout(60)
class ServerAddressTest {
  @Test
  void aWebSocketUrlIsTakenAsItIs() {
    assertEquals(new ServerAddress(false, "127.0.0.1", 8080, "/ws"), ServerAddress.parse("ws://127.0.0.1:8080/ws"));
    assertEquals(new ServerAddress(true, "chat.example", 443, "/ws"), ServerAddress.parse("wss://chat.example/ws"));
  }

  @Test
  void httpMapsToWsAndHttpsToWss() {
    assertEquals(new ServerAddress(false, "localhost", 8080, "/ws"), ServerAddress.parse("http://localhost:8080/"));
    assertEquals(new ServerAddress(true, "chat.example", 443, "/ws"), ServerAddress.parse("HTTPS://chat.example"));
    assertEquals(new ServerAddress(false, "localhost", 80, "/ws"), ServerAddress.parse("http://localhost"));
  }

  @Test
  void withoutSchemeItIsWsAndWithoutPathItIsSlashWs() {
    assertEquals(new ServerAddress(false, "localhost", 8080, "/ws"), ServerAddress.parse("localhost:8080"));
    assertEquals("ws://localhost:8080/ws", ServerAddress.parse("localhost:8080").toString());
  }

  @Test
  void anOtherPathAQueryAndIpv6AreKept() {
    assertEquals(new ServerAddress(false, "::1", 9000, "/chat/ws?x=1"), ServerAddress.parse("ws://[::1]:9000/chat/ws?x=1"));
    assertEquals("ws://[::1]:9000/chat/ws?x=1", ServerAddress.parse("ws://[::1]:9000/chat/ws?x=1").toString());
  }

  @Test
  void otherSchemesAndUrlsWithoutHostAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("ftp://localhost/ws"));
    assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("ws:///ws"));
    assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("ws://bad host/"));
  }
}
