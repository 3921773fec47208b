package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A store that answers later: nothing is shown before it commits, and nothing waits forever. */
@Timeout(60)
class ChatHubSlowStoreTest {
  private final HubFixture f = new HubFixture();

  @Test
  void nothingIsAcknowledgedOrDeliveredBeforeTheStoreCommits() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.hold.add(FlakyStore.Op.APPEND);
    String ref = f.ref();
    f.handle(a, new Command.Send(ref, "lobby", "hi", "cid-1"));
    assertFalse(a.answered(ref));
    assertEquals(List.of(), b.posted("lobby"));
    f.store.release();
    assertEquals(1, a.reply(ref, Event.Ack.class).id());
    assertEquals(List.of(1L), b.posted("lobby"));
  }

  @Test
  void aRetryRacingTheOriginalSendGetsTheSameAckAndOneMessage() {
    FakeClient a = f.joined("lobby");
    f.store.hold.add(FlakyStore.Op.APPEND);
    String first = f.ref();
    String retry = f.ref();
    f.handle(a, new Command.Send(first, "lobby", "hi", "cid-1"));
    f.handle(a, new Command.Send(retry, "lobby", "hi", "cid-1"));
    f.store.release();
    assertEquals(1, a.reply(first, Event.Ack.class).id());
    assertEquals(1, a.reply(retry, Event.Ack.class).id());
    assertEquals(List.of(1L), a.posted("lobby"));
    assertEquals(1, f.lastId("lobby"));
  }

  @Test
  void aMessageCommittedAfterItsSenderLeftStillReachesTheRoom() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.hold.add(FlakyStore.Op.APPEND);
    f.handle(a, new Command.Send(f.ref(), "lobby", "bye", null));
    f.disconnect(a);
    f.store.release();
    assertEquals(List.of(1L), b.posted("lobby"));
    assertEquals(List.of(), a.all(Event.Ack.class));
  }

  @Test
  void commandsSentBeforeTheHelloWaitForItAndAreThenAnswered() {
    f.store.hold.add(FlakyStore.Op.USERS);
    FakeClient a = f.connect();
    f.handle(a, new Command.Join("j", "lobby", null));
    f.handle(a, new Command.Send("s", "lobby", "early bird", null));
    assertEquals(List.of(), a.events());
    assertEquals(1, f.hub.connectionCount());
    f.store.release();
    List<Event> events = a.events();
    assertInstanceOf(Event.Hello.class, events.get(0));
    Event.Joined joined = a.reply("j", Event.Joined.class);
    assertEquals(1, a.reply("s", Event.Ack.class).id());
    // The ack may overtake the joined (both wait for the store); the message may not.
    assertEquals(List.of(1L), a.posted("lobby"));
    assertEquals(true, events.indexOf(joined) < events.indexOf(a.all(Event.Posted.class).get(0)), events.toString());
  }

  @Test
  void twoTabsConnectingWhileTheirSessionLoadsBecomeOneUser() {
    f.store.hold.add(FlakyStore.Op.USERS);
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    f.store.release();
    assertEquals(tab1.name(), tab2.name());
    f.join(tab1, "lobby");
    assertEquals(List.of(tab1.name()), f.join(tab2, "lobby").members());
  }

  @Test
  void aConnectionClosedWhileItsUserLoadsGetsNothingAndHoldsNothing() {
    f.store.hold.add(FlakyStore.Op.USERS);
    FakeClient a = f.connect();
    f.disconnect(a);
    f.store.release();
    assertEquals(List.of(), a.events());
    assertEquals(0, f.hub.connectionCount());
  }

  @Test
  void aConnectionClosedWhileItsRoomOpensLeavesNoRoomBehind() {
    FakeClient a = f.connect();
    f.store.hold.add(FlakyStore.Op.LAST_ID);
    f.handle(a, new Command.Join("j", "lobby", null));
    f.disconnect(a);
    f.store.release();
    assertEquals(List.of(), f.hub.members("lobby"));
    assertFalse(f.hub.openRooms().contains("lobby"), "rooms: " + f.hub.openRooms());
  }

  @Test
  void aMessagePublishedWhileTheRoomOpensFollowsTheJoined() {
    FakeClient a = f.connect();
    f.store.hold.add(FlakyStore.Op.LAST_ID);
    f.handle(a, new Command.Join("j", "lobby", null));
    List<Message> m = f.commit("lobby", 1);
    f.broker.publish(m.get(0));
    f.store.release();
    Event.Joined joined = a.reply("j", Event.Joined.class);
    long seen = joined.messages().stream().filter(x -> x.id() == 1).count()
        + a.posted("lobby").stream().filter(id -> id == 1).count();
    assertEquals(1, seen, "message 1 exactly once: " + a.events());
    assertEquals(joined, a.events().get(1), "the joined comes first after the hello");
  }
}
