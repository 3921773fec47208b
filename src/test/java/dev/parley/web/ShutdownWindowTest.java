package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.store.NewMessage;
import dev.parley.testing.HeldAppendStore;
import dev.parley.testing.Probe;
import dev.parley.testing.StoreServer;
import dev.parley.testing.WireLog;
import dev.parley.testing.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shutdown window, held open on purpose: a {@code send} has reached the store but its
 * append is held, and the server has begun to drain. Inside the window {@code /ready} must
 * answer 503, new upgrades must get 503, and open sockets must stay open; once the append is
 * let go the sender must get its {@code ack} before its close 1001, and every socket a 1001.
 * ({@code ShutdownIT} covers the 1001s and the exit of the real process.)
 */
@Timeout(30)
class ShutdownWindowTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ROOM = "general";
  private static final String TEXT = "sent just before shutdown";

  private final HeldAppendStore store = new HeldAppendStore();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private StoreServer server;
  private WireLog sender;
  private WireLog plain;
  private String sendRef;
  private CompletableFuture<Void> drained;

  /** Opens the window: two sockets, a send whose append is held, then the drain. */
  @BeforeEach
  void openTheShutdownWindow() {
    server = StoreServer.start(store);
    plain = open("/chat");
    sender = open("/ws");
    sender.awaitType("hello");
    sender.awaitReply("joined", sender.send("type", "join", "room", ROOM));
    Probe.until(() -> server.metric("parley_connections") == 2.0, () -> "the server never counted both sockets");

    store.holdAppends();
    sendRef = sender.send("type", "send", "room", ROOM, "text", TEXT, "cid", "last-words");
    NewMessage held = store.awaitHeldAppend();
    assertEquals(TEXT, held.text(), "the held append is the sender's message");

    drained = server.drain();
  }

  @AfterEach
  void closeEverything() throws Exception {
    store.releaseAppends(); // a failed test must not leave the drain waiting
    for (AutoCloseable c : opened) {
      c.close();
    }
    server.close();
  }

  private WireLog open(String path) {
    WireLog log = WireLog.connect(server.port(), path);
    opened.add(log);
    return log;
  }

  /** Waits until {@code /ready} says the node is shutting down; every later request is inside the window. */
  private HttpResponse<String> awaitNotReady() {
    List<HttpResponse<String>> last = new ArrayList<>(List.of(server.get("/ready")));
    Probe.until(() -> {
      last.set(0, server.get("/ready"));
      return last.get(0).statusCode() == 503;
    }, () -> "/ready still answers " + last.get(0).statusCode() + " " + last.get(0).body() + " after drain() began");
    return last.get(0);
  }

  private UpgradeRejectedException refusedUpgrade(String path) {
    CompletableFuture<?> attempt = WsClient.open(server.port(), path, new WebSocketConnectOptions())
        .thenApply(socket -> {
          opened.add(() -> socket.close());
          return socket;
        });
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> attempt.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS),
        "an upgrade to " + path + " during shutdown must be refused, but it was accepted");
    return assertInstanceOf(UpgradeRejectedException.class, e.getCause(), "how " + path + " was refused");
  }

  /**
   * The window is still open: both sockets answer a ping with nothing before the pong but what
   * they had before, so the server had written no close on either when it answered, and the
   * sender has had no reply to its send yet (the append is held; nothing is acked uncommitted).
   */
  private void assertSocketsOpenAndSendUnanswered() {
    for (WireLog socket : List.of(sender, plain)) {
      int pong = socket.pingAndAwaitPong();
      assertEquals(-1, socket.indexOf(e -> e.kind() == WireLog.Kind.CLOSE),
          "a socket was closed while a received send was still being stored: " + socket.entries());
      assertTrue(pong >= 0);
    }
    assertEquals(-1, sender.indexOf(e -> sendRef.equals(e.json().path("ref").asText())),
        "the send was answered before its append was let go: " + sender.entries());
    assertFalse(drained.isDone(), "drain() finished while a received send was still being stored");
  }

  @Test
  void whileAReceivedSendIsStillBeingStoredReadyAnswers503NamingTheShutdown() throws Exception {
    HttpResponse<String> ready = awaitNotReady();

    JsonNode body = MAPPER.readTree(ready.body());
    assertEquals("DOWN", body.path("status").asText(), ready.body());
    List<String> failing = new ArrayList<>();
    body.path("failing").forEach(part -> failing.add(part.asText()));
    assertEquals(List.of("shutting down"), failing, "/ready names shutdown as the reason: " + ready.body());
    assertEquals("{\"status\":\"UP\"}", server.get("/health").body(), "the process still serves meanwhile");
    assertSocketsOpenAndSendUnanswered();
  }

  @Test
  void whileAReceivedSendIsStillBeingStoredNewUpgradesToWsAndChatGet503() {
    awaitNotReady();

    for (String path : List.of("/ws", "/chat")) {
      UpgradeRejectedException refused = refusedUpgrade(path);
      assertEquals(503, refused.getStatus(), "an upgrade to " + path + " during shutdown");
      String words = refused.getBody() == null ? "" : refused.getBody().toString();
      assertTrue(words.contains("shutting down"), "the refusal of " + path + " says why: " + words);
    }
    assertEquals(2.0, server.metric("parley_connections"), "refused upgrades open nothing");
    assertSocketsOpenAndSendUnanswered();
  }

  @Test
  void whileAReceivedSendIsStillBeingStoredOpenSocketsOnWsAndChatStayOpen() {
    awaitNotReady();

    assertSocketsOpenAndSendUnanswered();
    assertEquals(2.0, server.metric("parley_connections"), "the server still counts both sockets");
  }

  @Test
  void onceTheHeldSendIsStoredItsSenderGetsTheAckBeforeItsClose1001AndEverySocketGets1001() throws Exception {
    awaitNotReady();
    assertSocketsOpenAndSendUnanswered();

    store.releaseAppends();

    assertEquals((short) 1001, sender.awaitClose(), "the sender is told the server is going away: " + sender.entries());
    assertEquals((short) 1001, plain.awaitClose(), "the /chat socket too: " + plain.entries());

    List<WireLog.Entry> wire = sender.entries();
    int ack = sender.indexOf(e -> e.isReply("ack", sendRef));
    int close = sender.indexOf(e -> e.kind() == WireLog.Kind.CLOSE);
    assertTrue(ack >= 0, "the send received before shutdown was never acknowledged: " + wire);
    assertTrue(ack < close, "the ack came after the close: " + wire);
    assertEquals(-1, sender.indexOf(e -> e.isReply("error", sendRef)), "the send was refused: " + wire);

    JsonNode acked = wire.get(ack).json();
    assertEquals(ROOM, acked.path("room").asText(), acked.toString());
    assertEquals(store.lastId(ROOM).toCompletableFuture().get(), acked.path("id").asLong(),
        "the acknowledged id is the one committed to the store");

    drained.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Probe.until(() -> server.metric("parley_connections") == 0.0, () -> "the server still counts open sockets");
  }
}
