package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Presence, who, typing and names on three nodes: the cluster behaves as one chat. */
@Timeout(120)
class ClusterPresenceTest extends ThreeNodes {

  private WsClient session(int node, String cookie) {
    return client(node, new WebSocketConnectOptions().addHeader("Cookie", "parley_sid=" + cookie));
  }

  private static String nick(WsClient client, String name) {
    String ref = client.send("type", "nick", "name", name);
    JsonNode reply = client.await(f -> ref.equals(f.path("ref").asText()));
    return reply.path("type").asText().equals("error") ? reply.get("code").asText() : reply.get("to").asText();
  }

  private static List<String> who(WsClient client, String room) {
    JsonNode members = client.await("members", client.send("type", "who", "room", room));
    List<String> names = new ArrayList<>();
    members.get("members").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Asks {@code who} until it lists {@code expected} (presence crosses nodes asynchronously), at most {@link WsClient#WAIT}. */
  private static List<String> whoUntil(WsClient client, String room, List<String> expected) {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    List<String> names = who(client, room);
    while (!names.equals(expected) && System.nanoTime() < deadline) {
      names = who(client, room);
    }
    return names;
  }

  private static JsonNode presence(WsClient client, String event) {
    return client.await(f -> "presence".equals(f.path("type").asText()) && event.equals(f.path("event").asText()));
  }

  @Test
  void presenceAndWhoSpanEveryNode() {
    WsClient ada = client(0);
    WsClient bob = client(1);
    WsClient watcher = client(2);
    nick(ada, "ada");
    nick(bob, "bob");
    nick(watcher, "watcher");
    watcher.await("joined", watcher.send("type", "join", "room", "hall"));
    ada.await("joined", ada.send("type", "join", "room", "hall"));
    assertEquals("ada", presence(watcher, "join").get("name").asText());
    JsonNode joined = bob.await("joined", bob.send("type", "join", "room", "hall"));
    assertEquals(3, joined.get("members").size(), joined.toString());
    assertEquals("bob", presence(watcher, "join").get("name").asText());
    assertEquals(List.of("ada", "bob", "watcher"), who(watcher, "hall"));
    // Ada's node hears of bob through the broker, a moment after the watcher's did.
    assertEquals(List.of("ada", "bob", "watcher"), whoUntil(ada, "hall", List.of("ada", "bob", "watcher")));

    bob.send("type", "leave", "room", "hall");
    assertEquals("bob", presence(watcher, "leave").get("name").asText());
    assertEquals("bob", presence(ada, "leave").get("name").asText());
  }

  @Test
  void twoTabsOfOneSessionOnTwoNodesAreOneMember() throws Exception {
    String cookie = JarHttp.newSession(nodes.get(0).port());
    WsClient watcher = client(2);
    watcher.await("joined", watcher.send("type", "join", "room", "hall"));
    WsClient tab1 = session(0, cookie);
    WsClient tab2 = session(1, cookie);
    tab1.await("joined", tab1.send("type", "join", "room", "hall"));
    String name = presence(watcher, "join").get("name").asText();
    tab2.await("joined", tab2.send("type", "join", "room", "hall"));
    assertEquals(2, who(watcher, "hall").size(), "the two tabs are listed once");

    assertEquals("amelia", nick(tab1, "amelia"));
    JsonNode renamed = tab2.await("nick");
    assertEquals(name, renamed.get("from").asText());
    assertEquals("amelia", renamed.get("to").asText());
    assertEquals("amelia", watcher.await("nick").get("to").asText());

    tab1.send("type", "leave", "room", "hall");
    tab2.send("type", "leave", "room", "hall");
    assertEquals("amelia", presence(watcher, "leave").get("name").asText(), "one leave, once the last tab left");
    assertEquals(1, who(watcher, "hall").size(), "only the watcher is left");
  }

  @Test
  void typingReachesTheRoomOnOtherNodes() {
    WsClient ada = client(0);
    WsClient bob = client(1);
    ada.await("joined", ada.send("type", "join", "room", "hall"));
    bob.await("joined", bob.send("type", "join", "room", "hall"));
    ada.send("type", "typing", "room", "hall");
    JsonNode typing = bob.await("typing");
    assertEquals("hall", typing.get("room").asText());
  }

  @Test
  void aNameIsUniqueAcrossNodesWhateverKindOfUserHoldsIt() throws Exception {
    WsClient guest = client(0);
    assertEquals("Zoe", nick(guest, "Zoe"));
    assertEquals("name_taken", nick(client(1), "zoe"), "another guest, on another node");
    WsClient session = session(2, JarHttp.newSession(nodes.get(2).port()));
    assertEquals("name_taken", nick(session, "ZOE"), "a session, on a third node");
    assertEquals("Max", nick(session, "Max"));
    assertEquals("name_taken", nick(client(0), "max"), "a session's name, from a guest elsewhere");

    guest.close();
    WsClient next = client(1);
    // The guest's name is released when it closes (its node gives the lease back).
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    String outcome = nick(next, "zoe");
    while (!outcome.equals("zoe") && System.nanoTime() < deadline) {
      outcome = nick(next, "zoe");
    }
    assertEquals("zoe", outcome);
  }
}
