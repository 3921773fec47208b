package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PlainChatTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(TestServer::unlimited);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyChatSocketReceivesEachMessageAsNameSaidText() {
    try (WsClient a = WsClient.plain(server); WsClient b = WsClient.plain(server); WsClient c = WsClient.plain(server)) {
      a.sendText("/who");
      String who = a.nextText();
      assertTrue(who.split(", ").length == 3, who);
      b.sendText("hello everyone");
      String line = a.nextText();
      assertTrue(line.matches("user\\d+ said: hello everyone"), line);
      assertEquals(line, b.nextText());
      assertEquals(line, c.nextText());
    }
  }
}
