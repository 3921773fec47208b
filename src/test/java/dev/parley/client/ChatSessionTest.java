package dev.parley.client;

import dev.parley.testing.TcpRelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interactive client's session against a real server, without a terminal: what it shows, what it
 * sends for each command, and how it comes back after the network drops.
 */
@Timeout(60)
class ChatSessionTest {
  private static final String TIME = "\\d\\d:\\d\\d ";

  private final Vertx vertx = Vertx.vertx();
  private final RecordingScreen screen = new RecordingScreen();
  private TestServer server;
  private WsClient bob;
  private ChatSession session;

  @BeforeEach
  void start() {
    server = TestServer.start();
    bob = WsClient.json(server);
    bob.await("hello");
    bob.await("nick", bob.send("type", "nick", "name", "bob"));
    bob.await("joined", bob.send("type", "join", "room", "general"));
  }

  @AfterEach
  void stop() throws Exception {
    if (session != null) {
      session.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    bob.close();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A session as ada, through {@code port} (the server's, or a proxy's), reconnecting quickly. */
  private ChatSession ada(int port) {
    Backoff quick = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2,
        ThreadLocalRandom.current()::nextDouble);
    session = new ChatSession(vertx, ServerAddress.parse("ws://127.0.0.1:" + port + "/ws"), quick, screen,
        new Renderer(false, ZoneId.systemDefault(), Clock.systemDefaultZone()), "ada", "general");
    session.start();
    return session;
  }

  private void bobSays(String text) {
    bob.await("ack", bob.send("type", "send", "room", "general", "text", text));
  }

  private JsonNode bobAwaitsMessageFromAda(String text) {
    return bob.await(f -> "message".equals(f.path("type").asText()) && text.equals(f.path("text").asText()));
  }

  private static boolean isMessage(String line, String from, String text) {
    return line.matches(TIME + java.util.regex.Pattern.quote(from + ": " + text));
  }

  private long shown(String from, String text) {
    return screen.count(line -> isMessage(line, from, text));
  }

  @Test
  void joiningShowsTheRoomsHistoryWithSenderAndLocalTimeThenTheMembers() {
    bobSays("first");
    bobSays("second");
    ada(server.port());
    int first = screen.await(line -> isMessage(line, "bob", "first"), "with bob's first message");
    int second = screen.await(line -> isMessage(line, "bob", "second"), "with bob's second message");
    int joined = screen.await(line -> line.equals("-- you joined #general: 2 people: ada, bob"), "about the join");
    assertTrue(first < second && second < joined, screen.lines().toString());
    assertEquals("#general ada> ", screen.prompt());
  }

  @Test
  void typedTextGoesToTheCurrentRoomAndTheEchoIsShownOnce() {
    ada(server.port());
    screen.await(line -> line.startsWith("-- you joined #general"), "about the join");
    session.submit(UserInput.parse("hello bob"));
    JsonNode message = bobAwaitsMessageFromAda("hello bob");
    assertEquals("ada", message.get("from").asText());
    screen.await(line -> isMessage(line, "ada", "hello bob"), "with ada's own message");
    session.submit(UserInput.parse("//slash at the start"));
    bobAwaitsMessageFromAda("/slash at the start");
  }

  @Test
  void presenceTypingAndRenamesOfOthersAreSystemLines() {
    ada(server.port());
    screen.await(line -> line.startsWith("-- you joined #general"), "about the join");
    WsClient carol = WsClient.json(server);
    carol.await("hello");
    carol.await("nick", carol.send("type", "nick", "name", "carol"));
    carol.await("joined", carol.send("type", "join", "room", "general"));
    screen.await(line -> line.equals("-- carol joined #general"), "about carol's arrival");
    carol.send("type", "typing", "room", "general");
    screen.await(line -> line.equals("-- carol is typing in #general…"), "about carol typing");
    carol.await("nick", carol.send("type", "nick", "name", "caroline"));
    screen.await(line -> line.equals("-- carol is now known as caroline"), "about the rename");
    carol.close();
    screen.await(line -> line.equals("-- caroline left #general"), "about caroline leaving");
  }

  @Test
  void nickJoinWhoAndLeaveDoWhatTheySay() {
    ada(server.port());
    screen.await(line -> line.startsWith("-- you joined #general"), "about the join");
    session.submit(UserInput.parse("/nick Ada_L"));
    JsonNode nick = bob.await("nick");
    assertEquals("ada", nick.get("from").asText());
    assertEquals("Ada_L", nick.get("to").asText());
    screen.await(line -> line.equals("-- you are now Ada_L"), "about the new name");
    session.submit(UserInput.parse("/who"));
    screen.await(line -> line.equals("-- #general: 2 people: Ada_L, bob"), "listing the members");

    session.submit(UserInput.parse("/join #Random"));
    screen.await(line -> line.equals("-- you joined #random: 1 person: Ada_L"), "about joining random");
    assertEquals("#random Ada_L> ", screen.prompt());
    session.submit(UserInput.parse("in random"));
    screen.await(line -> isMessage(line, "Ada_L", "in random"), "with the message in random");
    bobSays("meanwhile in general");
    screen.await(line -> line.matches(TIME + "#general bob: meanwhile in general"),
        "with the message of a room that is not the current one, marked with its room");

    session.submit(UserInput.parse("/leave"));
    screen.await(line -> line.equals("-- you left #random"), "about leaving");
    assertEquals("#general Ada_L> ", screen.prompt(), "back to the room joined before");
    session.submit(UserInput.parse("back in general"));
    bobAwaitsMessageFromAda("back in general");
  }

  @Test
  void aNameThatIsTakenIsReportedAndTheServersNameKept() {
    WsClient other = WsClient.json(server);
    other.await("hello");
    other.await("nick", other.send("type", "nick", "name", "ada"));
    ada(server.port());
    screen.await(line -> line.startsWith("-- could not take the name ada: name_taken: "), "about the taken name");
    screen.await(line -> line.startsWith("-- you joined #general"), "about the join");
    assertTrue(screen.prompt().matches("#general user\\d+> "), screen.prompt());
    other.close();
  }

  @Test
  void afterTheNetworkDropsItReconnectsTakesItsNameBackAndShowsWhatItMissedExactlyOnce() throws Exception {
    bobSays("history");
    try (TcpRelay proxy = TcpRelay.to(server.port())) {
      ada(proxy.port());
      screen.await(line -> line.startsWith("-- you joined #general"), "about the join");
      bob.await(f -> "presence".equals(f.path("type").asText()) && "ada".equals(f.path("name").asText()));
      bobSays("live before");
      screen.await(line -> isMessage(line, "bob", "live before"), "with the live message");

      proxy.cut();
      int down = screen.await(line -> line.startsWith("-- disconnected: "), "about the drop");
      bob.await(f -> "presence".equals(f.path("type").asText()) && "leave".equals(f.path("event").asText()));
      bobSays("missed 1");
      bobSays("missed 2");
      session.submit(UserInput.parse("typed while offline"));
      screen.await(down, line -> line.startsWith("-- offline: the message will be sent once #general"),
          "about the queued message");
      proxy.restore();

      screen.await(down, line -> line.startsWith("-- reconnected as user"), "about the reconnect");
      JsonNode back = bob.await(f -> "presence".equals(f.path("type").asText()) && "join".equals(f.path("event").asText()));
      assertEquals("ada", back.get("name").asText(), "the name is taken back before rejoining");
      screen.await(down, line -> isMessage(line, "bob", "missed 2"), "with the missed messages");
      bobAwaitsMessageFromAda("typed while offline");
      bobSays("live after");
      screen.await(line -> isMessage(line, "bob", "live after"), "with a live message after the reconnect");
      screen.await(line -> isMessage(line, "ada", "typed while offline"), "with the queued message's echo");

      for (String text : new String[] {"history", "live before", "missed 1", "missed 2", "live after"}) {
        assertEquals(1, shown("bob", text), text + " is shown exactly once: " + screen.lines());
      }
      assertEquals(1, shown("ada", "typed while offline"), "sent once: " + screen.lines());
      assertEquals(1, screen.count(line -> line.startsWith("-- you joined #general")),
          "the rejoin resumes with since: no second history");
      assertEquals("#general ada> ", screen.prompt());
    }
  }
}
