package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connecting, sending and receiving: acks, fan-out, rate limits and idempotent retries. */
@Timeout(60)
class ChatHubMessagingTest {

  @Test
  void aNewConnectionIsGreetedFirstWithAGuestName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect("sid-b");
    assertInstanceOf(Event.Hello.class, a.events().get(0));
    assertTrue(a.name().matches("user[0-9]+"), a.name());
    assertTrue(b.name().matches("user[0-9]+"), b.name());
    assertNotEquals(a.name(), b.name());
  }

  @Test
  void guestNumbersAreNeverReused() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    String first = a.name();
    f.disconnect(a);
    FakeClient b = f.connect();
    assertNotEquals(first, b.name());
  }

  @Test
  void twoConnectionsOfOneSessionAreOneUser() {
    HubFixture f = new HubFixture();
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    assertEquals(tab1.name(), tab2.name());
    f.join(tab1, "lobby");
    Event.Joined joined = f.join(tab2, "lobby");
    assertEquals(List.of(tab1.name()), joined.members());
    assertEquals(1, f.hub.members("lobby").size());
  }

  @Test
  void aSendIsAcknowledgedWithItsRefThenPostedToEverySocketInTheRoom() {
    HubFixture f = new HubFixture();
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    FakeClient b = f.connect();
    FakeClient outsider = f.connect();
    for (FakeClient c : List.of(a1, a2, b)) {
      f.join(c, "lobby");
    }
    f.join(outsider, "elsewhere");
    List.of(a1, a2, b, outsider).forEach(FakeClient::clear);

    f.handle(a1, new Command.Send("my-ref", "lobby", "hello <b>there</b>\n", null));

    Event.Ack ack = a1.reply("my-ref", Event.Ack.class);
    assertEquals("lobby", ack.room());
    assertEquals(1, ack.id());
    assertEquals(f.clock.now(), ack.ts());
    Message expected = new Message("lobby", 1, a1.name(), "hello <b>there</b>\n", ack.ts());
    assertEquals(List.of(ack, new Event.Posted(expected)), a1.events(), "the ack comes before the message");
    assertEquals(List.of(new Event.Posted(expected)), a2.events(), "the sender's other socket gets it, no ack");
    assertEquals(List.of(new Event.Posted(expected)), b.events());
    outsider.assertNothing();
  }

  @Test
  void idsRiseOneByOnePerRoom() {
    HubFixture f = new HubFixture();
    FakeClient a = f.joined("one");
    f.join(a, "two");
    assertEquals(1, f.send(a, "one", "x").id());
    assertEquals(2, f.send(a, "one", "x").id());
    assertEquals(1, f.send(a, "two", "x").id());
    assertEquals(3, f.send(a, "one", "x").id());
    assertEquals(List.of(1L, 2L, 3L), a.posted("one"));
    assertEquals(List.of(1L), a.posted("two"));
  }

  @Test
  void sendTypingAndLeaveNeedTheRoomJoined() {
    HubFixture f = new HubFixture();
    FakeClient a = f.joined("joined");
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", null)));
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Typing(ref, "lobby")));
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Leave(ref, "lobby")));
    assertEquals(0, f.lastId("lobby"));
    assertNull(a.closeCode(), "an error never closes the connection");
  }

  @Test
  void afterLeavingASocketGetsNoMoreMessagesOfTheRoom() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    String ref = f.ref();
    f.handle(b, new Command.Leave(ref, "lobby"));
    assertEquals(new Event.Left(ref, "lobby"), b.reply(ref, Event.Left.class));
    f.send(a, "lobby", "after");
    assertEquals(List.of(), b.posted("lobby"));
    assertEquals(ErrorCode.NOT_JOINED, f.refused(b, r -> new Command.Send(r, "lobby", "hi", null)));
  }

  @Test
  void aRepeatedCidGetsTheOriginalAckAndNoSecondMessageEvenWithoutTokens() {
    HubFixture f = new HubFixture(new Limits(4000, 1, 1, 50, 10, 50));
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    Event.Ack first = f.send(a, "lobby", "once", "cid-1");
    f.clock.advanceMillis(10);

    Event.Ack again = f.send(a, "lobby", "once", "cid-1");

    assertEquals(first.id(), again.id());
    assertEquals(first.ts(), again.ts());
    assertEquals(List.of(1L), a.posted("lobby"));
    assertEquals(List.of(1L), b.posted("lobby"));
    assertEquals(1, f.lastId("lobby"));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Send(ref, "lobby", "new", "cid-2")),
        "the bucket really was empty");
  }

  @Test
  void aRepeatedCidFromAnotherSocketOfTheSameSessionGetsTheOriginalAck() {
    HubFixture f = new HubFixture();
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    f.join(tab1, "lobby");
    f.join(tab2, "lobby");
    Event.Ack first = f.send(tab1, "lobby", "hi", "cid-1");
    assertEquals(first.id(), f.send(tab2, "lobby", "hi", "cid-1").id());
    assertEquals(List.of(1L), tab2.posted("lobby"));
    assertEquals(1, f.lastId("lobby"));
  }

  @Test
  void aRetryFromANewConnectionOfTheSameSessionGetsTheOriginalAckWithoutAToken() {
    HubFixture f = new HubFixture(new Limits(4000, 1, 1, 50, 10, 50));
    FakeClient b = f.joined("lobby");
    FakeClient before = f.joined("sid-a", "lobby");
    Event.Ack first = f.send(before, "lobby", "hi", "cid-1");
    f.disconnect(before);
    FakeClient after = f.joined("sid-a", "lobby");
    f.send(after, "lobby", "spends the only token");
    assertEquals(first.id(), f.send(after, "lobby", "hi", "cid-1").id());
    assertEquals(List.of(1L, 2L), b.posted("lobby"));
  }

  @Test
  void aRetryFromAnotherConnectionWithoutASessionIsANewMessage() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());
    assertEquals(2, f.send(b, "lobby", "hi", "cid-1").id(), "cids of connections without a session are their own");
  }

  @Test
  void theSameCidFromAnotherUserOrInAnotherRoomIsANewMessage() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    FakeClient b = f.connect("sid-b");
    f.join(a, "lobby");
    f.join(a, "other");
    f.join(b, "lobby");
    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());
    assertEquals(2, f.send(b, "lobby", "hi", "cid-1").id());
    assertEquals(1, f.send(a, "other", "hi", "cid-1").id());
    assertEquals(List.of(1L, 2L), a.posted("lobby"));
  }

  @Test
  void aMessageCarriesTheSendersNameAtTheTimeOfSending() {
    HubFixture f = new HubFixture();
    FakeClient a = f.joined("lobby");
    f.send(a, "lobby", "before");
    f.nick(a, "Alice");
    f.send(a, "lobby", "after");
    List<String> from = a.all(Event.Posted.class).stream().map(p -> p.message().from()).toList();
    assertTrue(from.get(0).matches("user[0-9]+"), from.toString());
    assertEquals("Alice", from.get(1));
  }
}
