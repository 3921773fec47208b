package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live stream: messages from the broker put in id order, gaps filled from the store. */
@Timeout(60)
class ChatHubOrderingTest {
  private final HubFixture f = new HubFixture();
  private final FakeClient a = f.connect();
  private final FakeClient b = f.connect();

  private void joinBoth() {
    f.join(a, "lobby");
    f.join(b, "lobby");
  }

  @Test
  void messagesPublishedOutOfOrderAreDeliveredInIdOrder() {
    joinBoth();
    List<Message> m = f.commit("lobby", 3);
    f.broker.publish(m.get(0));
    f.broker.publish(m.get(2));
    assertEquals(List.of(1L), a.posted("lobby"), "3 waits for 2");
    f.broker.publish(m.get(1));
    assertEquals(List.of(1L, 2L, 3L), a.posted("lobby"));
    assertEquals(List.of(1L, 2L, 3L), b.posted("lobby"));
    f.clock.advanceMillis(5000);
    assertEquals(List.of(1L, 2L, 3L), a.posted("lobby"), "the gap timer finds nothing left to do");
    assertEquals(2, f.clock.pending(), "no gap timer is left, only the hub's periodic session touch and resync");
  }

  @Test
  void aGapTheStoreCanFillIsFilledAfterTheGapWait() {
    joinBoth();
    List<Message> m = f.commit("lobby", 3);
    f.broker.publish(m.get(0));
    f.broker.publish(m.get(2)); // 2 was lost by the broker
    f.clock.advanceMillis(999);
    assertEquals(List.of(1L), a.posted("lobby"));
    f.clock.advanceMillis(1);
    assertEquals(List.of(1L, 2L, 3L), a.posted("lobby"));
    assertEquals(List.of(1L, 2L, 3L), b.posted("lobby"));
    assertEquals(m.get(1), b.all(Event.Posted.class).get(1).message(), "the filled message is the stored one");
    assertNull(a.closeCode());
  }

  @Test
  void aLostPublishIsDeliveredOnceTheNextMessageRevealsTheGap() {
    joinBoth();
    f.commit("lobby", 1); // committed, never published
    assertEquals(2, f.send(a, "lobby", "second").id());
    assertEquals(List.of(), b.posted("lobby"));
    f.clock.advanceMillis(1000);
    assertEquals(List.of(1L, 2L), b.posted("lobby"));
    assertEquals(List.of(1L, 2L), a.posted("lobby"));
  }

  @Test
  void aGapTheStoreCannotFillClosesTheRoomsSocketsWith1011RatherThanSkip() {
    joinBoth();
    FakeClient elsewhere = f.joined("other");
    List<Message> m = f.commit("lobby", 1);
    f.broker.publish(m.get(0));
    f.broker.publish(new Message("lobby", 3, "ghost", "from nowhere", f.clock.now()));
    f.clock.advanceMillis(1000);
    assertEquals(1011, a.closeCode());
    assertEquals(1011, b.closeCode());
    assertEquals(List.of(1L), a.posted("lobby"), "3 is never delivered without 2");
    assertNull(elsewhere.closeCode());
  }

  @Test
  void aGapWhoseReadFailsClosesTheRoomsSocketsWith1011() {
    joinBoth();
    List<Message> m = f.commit("lobby", 3);
    f.broker.publish(m.get(0));
    f.broker.publish(m.get(2));
    f.store.failReads = true;
    f.clock.advanceMillis(1000);
    assertEquals(1011, a.closeCode());
    assertEquals(List.of(1L), a.posted("lobby"));
  }

  @Test
  void aRepeatedPublishIsDeliveredOnce() {
    joinBoth();
    List<Message> m = f.commit("lobby", 2);
    f.broker.publish(m.get(0));
    f.broker.publish(m.get(0));
    f.broker.publish(m.get(1));
    f.broker.publish(m.get(0));
    assertEquals(List.of(1L, 2L), a.posted("lobby"));
  }

  @Test
  void messagesTheJoinedAlreadyCoveredAreNotDeliveredLive() {
    List<Message> m = f.commit("lobby", 3);
    joinBoth();
    f.broker.publish(m.get(1));
    f.broker.publish(m.get(2));
    assertEquals(List.of(), a.posted("lobby"));
    assertEquals(4, f.send(b, "lobby", "next").id());
    assertEquals(List.of(4L), a.posted("lobby"));
  }

  @Test
  void liveMessagesDuringASlowSnapshotWaitForTheJoinedAndFollowItOnce() {
    f.join(a, "lobby");
    f.send(a, "lobby", "before");
    f.store.hold.add(FlakyStore.Op.MESSAGES);
    String ref = f.ref();
    f.handle(b, new Command.Join(ref, "lobby", null));
    f.send(a, "lobby", "during 1");
    f.send(a, "lobby", "during 2");
    b.clear(); // the hello
    assertEquals(List.of(), b.events(), "nothing before the joined");

    f.store.release();

    Event.Joined joined = b.reply(ref, Event.Joined.class);
    assertEquals(1, joined.lastId());
    assertEquals(List.of(1L), joined.messages().stream().map(Message::id).toList());
    assertEquals(joined, b.events().get(0));
    assertEquals(List.of(2L, 3L), b.posted("lobby"));
  }

  @Test
  void aSlowRecoveryStillHasNoGapAndNoDuplicate() {
    f.join(a, "lobby");
    f.send(a, "lobby", "one");
    f.send(a, "lobby", "two");
    f.store.hold.add(FlakyStore.Op.MESSAGES);
    String ref = f.ref();
    f.handle(b, new Command.Join(ref, "lobby", 1L));
    f.send(a, "lobby", "three");
    f.store.release();
    Event.Joined joined = b.reply(ref, Event.Joined.class);
    assertEquals(Boolean.TRUE, joined.recovered());
    assertEquals(List.of(2L), joined.messages().stream().map(Message::id).toList());
    assertEquals(List.of(3L), b.posted("lobby"));
  }

  @Test
  void aGapLongerThanOneStoreReadIsFilledPageByPage() {
    joinBoth();
    int count = Rooms.GAP_PAGE + 5;
    List<Message> m = f.commit("lobby", count);
    f.broker.publish(m.get(count - 1)); // every earlier publish was lost
    f.clock.advanceMillis(1000);
    assertEquals(count, a.posted("lobby").size());
    assertEquals((long) count, a.posted("lobby").get(count - 1));
    assertNull(a.closeCode(), "nobody is closed: the store had every id");
  }
}
