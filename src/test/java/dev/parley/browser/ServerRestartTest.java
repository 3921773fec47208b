package dev.parley.browser;

import dev.parley.testing.TcpRelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import dev.parley.web.WebConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server restarts (same port, same data folder) under an open page. */
@Timeout(60)
class ServerRestartTest {
  @RegisterExtension
  final Browsers browsers = new Browsers();

  @TempDir
  Path data;

  private TestServer first;
  private TestServer second;
  private TcpRelay gate;

  /** After the screenshot, which then shows the page as the test left it. */
  @AfterEach
  void stopEverything() {
    for (AutoCloseable c : new AutoCloseable[] {gate, first, second}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // closed already
        }
      }
    }
  }

  @Test
  void thePageShowsItIsReconnectingComesBackByItselfAndShowsWhatWasSentMeanwhileOnce() throws Exception {
    int port = freePort();
    UnaryOperator<WebConfig> onPort = c -> TestServer.unlimited(onPort(c, port));
    first = TestServer.start(onPort, data);
    // The page reaches the server through a gate, so that the test decides when the page may get
    // back in: the messages "meanwhile" are then surely sent while the page is away.
    gate = TcpRelay.to(port);
    Browser page = browsers.desktop("page").open(gate.url("/"));
    String me = page.name();
    page.say("mine, before the restart");
    page.awaitMessage(me + ": mine, before the restart");
    String bob;
    try (WsClient client = WsClient.json(first)) {
      bob = client.await("hello").path("name").asText();
      client.await("joined", client.send("type", "join", "room", "general"));
      client.await("ack", client.send("type", "send", "room", "general", "text", "theirs, before the restart"));
    }
    page.awaitMessage(bob + ": theirs, before the restart");

    gate.refuseNew();
    first.close();
    page.waitUntil("the page shows that it is reconnecting", () -> page.connState().equals("reconnecting")
        && page.text("conn-text").matches("Reconnecting in \\d+ s"));
    page.waitUntil("the page offers a named \"Retry now\" while it waits",
        () -> page.byId("reconnect-now").isDisplayed()
            && "Retry now".equals(page.byId("reconnect-now").getAccessibleName()));

    second = TestServer.start(onPort, data);
    try (WsClient carol = WsClient.json(second)) {
      String carolName = carol.await("hello").path("name").asText();
      JsonNode joined = carol.await("joined", carol.send("type", "join", "room", "general"));
      assertEquals(2, joined.path("messages").size(), "the restarted server kept the history: " + joined);
      carol.await("ack", carol.send("type", "send", "room", "general", "text", "while you were away (1)"));
      carol.await("ack", carol.send("type", "send", "room", "general", "text", "while you were away (2)"));
      assertNotEquals("online", page.connState(), "the page is still away while they are sent");

      gate.restore(); // nothing is clicked: the page's own retry gets in
      page.waitUntil("the page is online again by itself", () -> page.connState().equals("online"));
      page.awaitMessage(carolName + ": while you were away (2)");

      carol.send("type", "send", "room", "general", "text", "and now live");
      page.awaitMessage(carolName + ": and now live");
      page.say("mine, after the restart");
      carol.await(f -> "message".equals(f.path("type").asText())
          && "mine, after the restart".equals(f.path("text").asText()));
      page.awaitMessage(me + ": mine, after the restart");

      List<String> expected = List.of(
          me + ": mine, before the restart",
          bob + ": theirs, before the restart",
          carolName + ": while you were away (1)",
          carolName + ": while you were away (2)",
          carolName + ": and now live",
          me + ": mine, after the restart");
      assertEquals(expected, page.confirmed(), "every message once, in order");
      assertEquals(expected.size(), page.messageTexts().size(), "nothing left pending or shown twice");
      assertEquals(List.of(), page.notes(), "no gap reported: the page caught up with since");
    }
  }

  private static WebConfig onPort(WebConfig c, int port) {
    return new WebConfig(c.host(), port, c.allowedOrigins(), c.chatLimits(), c.webLimits(), c.leaveGraceMillis(),
        c.shutdownMillis(), c.tls());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
