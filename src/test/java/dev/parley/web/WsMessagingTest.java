package dev.parley.web;

import static dev.parley.testing.WsSteps.hello;
import static dev.parley.testing.WsSteps.ids;
import static dev.parley.testing.WsSteps.join;
import static dev.parley.testing.WsSteps.joinAll;
import static dev.parley.testing.WsSteps.names;
import static dev.parley.testing.WsSteps.range;
import static dev.parley.testing.WsSteps.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JSON protocol's everyday commands over real sockets: hello, join, send, leave, who, typing, nick. */
@Timeout(60)
class WsMessagingTest extends ServerPerTest {
  WsMessagingTest() {
    super(TestServer::unlimited);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The frames a socket received before the answer to a fresh {@code who}: anything the server
   * sent it before handling that command.
   */
  private static List<JsonNode> framesBeforeAWho(WsClient client) {
    List<JsonNode> frames = until(client, "members", client.send("type", "who", "room", "general"));
    return frames.subList(0, frames.size() - 1);
  }

  private static long count(List<JsonNode> frames, String type) {
    return frames.stream().filter(f -> type.equals(f.path("type").asText())).count();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void theFirstFrameIsHelloWithProtocolOneAndAFreshGuestName() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      JsonNode hello = a.next();
      assertEquals("hello", hello.path("type").asText());
      assertEquals(1, hello.path("protocol").asInt());
      assertTrue(hello.path("protocol").isIntegralNumber(), "protocol is the number 1: " + hello);
      assertTrue(hello.path("name").asText().matches("user[0-9]+"), hello.toString());
      String other = hello(b);
      assertTrue(other.matches("user[0-9]+"), other);
      assertNotEquals(hello.path("name").asText(), other, "two guests never share a name");
    }
  }

  @Test
  void joinAnswersJoinedWithTheMembersTheLastIdAndTheLatestFiftyMessagesOldestFirst() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      String aName = hello(a);
      String bName = hello(b);
      String ref = a.send("type", "join", "room", "lobby");
      JsonNode first = a.await("joined", ref);
      assertEquals("lobby", first.path("room").asText());
      assertEquals(List.of(aName), names(first.path("members")), "the joiner is a member: " + first);
      assertEquals(0, first.path("lastId").asLong());
      assertTrue(first.path("messages").isArray() && first.path("messages").isEmpty(), first.toString());
      assertFalse(first.has("recovered"), "no since, no recovered: " + first);

      String last = null;
      for (int i = 1; i <= 60; i++) {
        last = a.send("type", "send", "room", "lobby", "text", "message " + i);
      }
      a.await("ack", last);

      JsonNode joined = join(b, "lobby");
      List<String> expected = new ArrayList<>(List.of(aName, bName));
      expected.sort(String.CASE_INSENSITIVE_ORDER);
      assertEquals(expected, names(joined.path("members")));
      assertEquals(60, joined.path("lastId").asLong());
      assertEquals(range(11, 60), ids(joined.path("messages")), "the latest 50, oldest first");
      JsonNode oldest = joined.path("messages").get(0);
      assertEquals("lobby", oldest.path("room").asText());
      assertEquals(aName, oldest.path("from").asText());
      assertEquals("message 11", oldest.path("text").asText());
      assertTrue(oldest.path("ts").isIntegralNumber(), oldest.toString());
    }
  }

  @Test
  void aSendIsAcknowledgedThenDeliveredToEverySocketInTheRoomTheSendersIncluded() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server); WsClient c = WsClient.json(server);
        WsClient outsider = WsClient.json(server)) {
      String aName = hello(a);
      hello(b);
      hello(c);
      hello(outsider);
      joinAll("room-1", a, b, c);
      join(outsider, "general");
      String text = "héllo <b>world</b> 😀\n\tsecond line";
      long before = System.currentTimeMillis();
      String ref = a.send("type", "send", "room", "room-1", "text", text);

      JsonNode ack = a.await(f -> !"presence".equals(f.path("type").asText()));
      assertEquals("ack", ack.path("type").asText(), "the ack comes before the sender's copy: " + ack);
      assertEquals(ref, ack.path("ref").asText());
      assertEquals("room-1", ack.path("room").asText());
      assertEquals(1, ack.path("id").asLong());
      long ts = ack.path("ts").asLong();
      assertTrue(ts >= before - 60_000 && ts <= System.currentTimeMillis() + 60_000, "ts is epoch millis: " + ack);

      for (WsClient member : List.of(a, b, c)) {
        JsonNode message = member.await("message");
        assertEquals("room-1", message.path("room").asText());
        assertEquals(1, message.path("id").asLong());
        assertEquals(aName, message.path("from").asText());
        assertEquals(text, message.path("text").asText(), "stored and delivered verbatim");
        assertEquals(ts, message.path("ts").asLong(), "the message carries the ack's ts");
      }
      assertEquals(0, count(framesBeforeAWho(outsider), "message"), "a socket outside the room gets nothing");
    }
  }

  @Test
  void idsInARoomAreConsecutiveFromOne() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      hello(a);
      hello(b);
      joinAll("counting", a, b);
      List<Long> acked = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String ref = i % 2 == 0 ? a.send("type", "send", "room", "counting", "text", "a" + i)
            : b.send("type", "send", "room", "counting", "text", "b" + i);
        acked.add((i % 2 == 0 ? a : b).await("ack", ref).path("id").asLong());
      }
      assertEquals(range(1, 5), acked);
    }
  }

  @Test
  void leaveAnswersLeftAndStopsTheRoomsMessages() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      String aName = hello(a);
      String bName = hello(b);
      joinAll("den", a, b);
      String ref = a.send("type", "leave", "room", "den");
      JsonNode left = a.await("left", ref);
      assertEquals("den", left.path("room").asText());

      JsonNode presence = b.await("presence");
      assertEquals(aName, presence.path("name").asText());
      assertEquals("leave", presence.path("event").asText());

      String sent = b.send("type", "send", "room", "den", "text", "after a left");
      long id = b.await("ack", sent).path("id").asLong();
      b.await(f -> "message".equals(f.path("type").asText()) && f.path("id").asLong() == id);

      String who = a.send("type", "who", "room", "den");
      List<JsonNode> frames = until(a, "members", who);
      assertEquals(0, count(frames, "message"), "no message after left: " + frames);
      assertEquals(List.of(bName), names(frames.get(frames.size() - 1).path("members")));
    }
  }

  @Test
  void whoListsTheMembersSortedCaseInsensitivelyAndNeedsNoMembership() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server); WsClient c = WsClient.json(server);
        WsClient asker = WsClient.json(server)) {
      hello(a);
      hello(b);
      hello(c);
      hello(asker);
      a.await("nick", a.send("type", "nick", "name", "bob"));
      b.await("nick", b.send("type", "nick", "name", "Alice"));
      c.await("nick", c.send("type", "nick", "name", "carol"));
      joinAll("club", a, b, c);

      String ref = asker.send("type", "who", "room", "club");
      JsonNode members = asker.await("members", ref);
      assertEquals("club", members.path("room").asText());
      assertEquals(List.of("Alice", "bob", "carol"), names(members.path("members")));

      String empty = asker.send("type", "who", "room", "nobody-here");
      assertEquals(List.of(), names(asker.await("members", empty).path("members")));
    }
  }

  @Test
  void typingReachesTheRoomsOtherUsersOnlyAndAtMostOnceInThreeSeconds() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server); WsClient c = WsClient.json(server)) {
      String aName = hello(a);
      hello(b);
      hello(c);
      joinAll("typers", a, b, c);
      a.send("type", "typing", "room", "typers");
      a.send("type", "typing", "room", "typers");
      String sent = a.send("type", "send", "room", "typers", "text", "done typing");

      List<JsonNode> own = until(a, "ack", sent);
      assertEquals(0, count(own, "typing"), "the typist is not told about itself: " + own);
      assertEquals(0, count(own, "error"), "typing has no reply: " + own);
      for (WsClient other : List.of(b, c)) {
        List<JsonNode> frames = new ArrayList<>();
        JsonNode frame;
        do {
          frame = other.next();
          frames.add(frame);
        } while (!"message".equals(frame.path("type").asText()));
        assertEquals(1, count(frames, "typing"), "one typing, the repeat within 3 s is dropped: " + frames);
        JsonNode typing = frames.stream().filter(f -> "typing".equals(f.path("type").asText())).findFirst().get();
        assertEquals("typers", typing.path("room").asText());
        assertEquals(aName, typing.path("name").asText());
      }
    }
  }

  @Test
  void nickIsAnnouncedToEveryoneSharingARoomAndOnlyTheAskersCopyCarriesTheRef() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server);
        WsClient stranger = WsClient.json(server)) {
      String aName = hello(a);
      hello(b);
      hello(stranger);
      joinAll("shared", a, b);
      join(stranger, "elsewhere");

      String ref = a.send("type", "nick", "name", "Zed");
      JsonNode mine = a.await("nick", ref);
      assertEquals(aName, mine.path("from").asText());
      assertEquals("Zed", mine.path("to").asText());

      JsonNode theirs = b.await("nick");
      assertEquals(aName, theirs.path("from").asText());
      assertEquals("Zed", theirs.path("to").asText());
      assertFalse(theirs.has("ref"), "only the asker's copy carries the ref: " + theirs);

      assertEquals(0, count(framesBeforeAWho(stranger), "nick"), "a user sharing no room is not told");

      String sent = a.send("type", "send", "room", "shared", "text", "new name");
      a.await("ack", sent);
      assertEquals("Zed", b.await("message").path("from").asText(), "messages carry the new name");
    }
  }

  @Test
  void nickToOnesCurrentNameAnswersOnlyTheAskerAndACaseVariantIsARealRename() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      hello(a);
      hello(b);
      joinAll("shared", a, b);
      a.await("nick", a.send("type", "nick", "name", "Zed"));
      assertEquals("Zed", b.await("nick").path("to").asText());

      String same = a.send("type", "nick", "name", "Zed");
      JsonNode unchanged = a.await(f -> !"presence".equals(f.path("type").asText()));
      assertEquals("nick", unchanged.path("type").asText(), unchanged.toString());
      assertEquals(same, unchanged.path("ref").asText());
      assertEquals("Zed", unchanged.path("from").asText());
      assertEquals("Zed", unchanged.path("to").asText());
      assertEquals(0, count(framesBeforeAWho(b), "nick"), "a no-op rename is not broadcast");

      String variant = a.send("type", "nick", "name", "zED");
      JsonNode renamed = a.await("nick", variant);
      assertEquals("Zed", renamed.path("from").asText());
      assertEquals("zED", renamed.path("to").asText());
      JsonNode seen = b.await("nick");
      assertEquals("zED", seen.path("to").asText());
    }
  }

  @Test
  void rejoiningAJoinedRoomSendsAFreshJoinedAndChangesNothingElse() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      String aName = hello(a);
      String bName = hello(b);
      joinAll("again", a, b);
      a.await("presence");
      a.await("ack", a.send("type", "send", "room", "again", "text", "one"));

      List<JsonNode> frames = until(b, "joined", b.send("type", "join", "room", "again"));
      JsonNode fresh = frames.get(frames.size() - 1);
      assertEquals(1, fresh.path("lastId").asLong());
      List<String> expected = new ArrayList<>(List.of(aName, bName));
      expected.sort(String.CASE_INSENSITIVE_ORDER);
      assertEquals(expected, names(fresh.path("members")), "still one member per user");

      a.await("ack", a.send("type", "send", "room", "again", "text", "two"));
      frames.addAll(framesBeforeAWho(b));
      List<Long> live = new ArrayList<>();
      frames.stream().filter(f -> "message".equals(f.path("type").asText()))
          .forEach(f -> live.add(f.path("id").asLong()));
      assertEquals(List.of(1L, 2L), live, "each live message once, whatever the rejoin: " + frames);
      assertEquals(0, count(frames, "presence"), "a rejoin is no presence event: " + frames);
      assertEquals(0, count(framesBeforeAWho(a), "presence"), "the others see no presence for a rejoin");
    }
  }

  @Test
  void aJoinImmediatelyFollowedByALeaveIsAnsweredJoinedThenLeft() throws Exception {
    try (RawSocket raw = new RawSocket(server.port())) {
      assertEquals("hello", raw.read().path("type").asText());
      // Both frames in one TCP write: the server reads them together, as it would from any
      // client that sends its commands without waiting for the replies.
      raw.sendTogether("{\"type\":\"join\",\"room\":\"brief\",\"ref\":\"j1\"}",
          "{\"type\":\"leave\",\"room\":\"brief\",\"ref\":\"l1\"}");
      JsonNode first = raw.read();
      assertEquals("joined", first.path("type").asText(), "every join is answered, also one left at once: " + first);
      assertEquals("j1", first.path("ref").asText());
      JsonNode second = raw.read();
      assertEquals("left", second.path("type").asText(), second.toString());
      assertEquals("l1", second.path("ref").asText());
    }
  }

  @Test
  void twoRenamesSentTogetherEndWithTheLastOne() throws Exception {
    try (RawSocket raw = new RawSocket(server.port())) {
      raw.read();
      raw.sendTogether("{\"type\":\"nick\",\"name\":\"first\",\"ref\":\"n1\"}");
      assertEquals("first", raw.read().path("to").asText());
      raw.sendTogether("{\"type\":\"nick\",\"name\":\"second\",\"ref\":\"n2\"}",
          "{\"type\":\"nick\",\"name\":\"first\",\"ref\":\"n3\"}");
      JsonNode a = raw.read();
      JsonNode b = raw.read();
      assertEquals("n2", a.path("ref").asText(), "replies in command order: " + a + " " + b);
      assertEquals("n3", b.path("ref").asText(), "replies in command order: " + a + " " + b);
      raw.sendTogether("{\"type\":\"join\",\"room\":\"names\",\"ref\":\"j\"}");
      JsonNode joined = raw.read();
      assertEquals(List.of("first"), names(joined.path("members")),
          "the last rename asked for is the name the user ends with: " + a + " " + b + " " + joined);
    }
  }

  /** A WebSocket over a plain TCP socket, to put several frames into one TCP write. */
  private static final class RawSocket implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();
    private final java.net.Socket socket;
    private final java.io.OutputStream out;
    private final java.io.DataInputStream in;

    RawSocket(int port) throws java.io.IOException {
      socket = new java.net.Socket("127.0.0.1", port);
      socket.setSoTimeout((int) WsClient.WAIT.toMillis());
      out = socket.getOutputStream();
      in = new java.io.DataInputStream(socket.getInputStream());
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    }

    /** Writes the frames (masked, as a client must) with a single write. */
    void sendTogether(String... frames) throws java.io.IOException {
      java.io.ByteArrayOutputStream together = new java.io.ByteArrayOutputStream();
      byte[] mask = {0x12, 0x34, 0x56, 0x78};
      for (String frame : frames) {
        byte[] payload = frame.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(payload.length < 126, "short frames only");
        together.write(0x81);
        together.write(0x80 | payload.length);
        together.write(mask);
        for (int i = 0; i < payload.length; i++) {
          together.write(payload[i] ^ mask[i % 4]);
        }
      }
      out.write(together.toByteArray());
      out.flush();
    }

    /** The next text frame, as JSON; fails after the harness's wait. */
    JsonNode read() throws java.io.IOException {
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if ((first & 0x0F) == 0x1) {
          return JSON.readTree(payload);
        }
      }
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  @Test
  void aSendRightAfterAJoinIsDeliveredAfterTheJoinedAndOnce() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      hello(a);
      hello(b);
      join(b, "quick");
      String join = a.send("type", "join", "room", "quick");
      String send = a.send("type", "send", "room", "quick", "text", "right away");
      List<JsonNode> frames = until(a, "ack", send);
      List<JsonNode> rest = framesBeforeAWho(a);
      frames.addAll(rest);
      List<String> order = new ArrayList<>();
      frames.forEach(f -> order.add(f.path("type").asText() + (f.has("id") ? f.path("id").asLong() : "")));
      int joinedAt = order.indexOf("joined");
      assertTrue(joinedAt >= 0, "joined: " + order);
      assertEquals(join, frames.get(joinedAt).path("ref").asText());
      assertEquals(1, order.stream().filter(t -> t.equals("message1")).count(), "delivered once: " + order);
      assertTrue(order.indexOf("message1") > joinedAt, "the message comes after joined: " + order);
      assertEquals(1, b.await("message").path("id").asLong());
    }
  }
}
