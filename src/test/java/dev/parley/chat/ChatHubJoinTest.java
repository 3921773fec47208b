package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Joining: the snapshot, recovery with {@code since}, re-joins and the room limit. */
@Timeout(60)
class ChatHubJoinTest {

  private static List<Long> ids(Event.Joined joined) {
    return joined.messages().stream().map(Message::id).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** A fresh connection's {@code joined} for lobby with {@code since}, after {@code committed} messages were stored there. */
  private static Event.Joined joinLobbySince(int committed, Long since) {
    HubFixture f = new HubFixture();
    f.commit("lobby", committed);
    return f.join(f.connect(), "lobby", since);
  }

  @Test
  void joinAnswersWithTheMembersTheLastIdAndTheLatestMessages() {
    HubFixture f = new HubFixture();
    f.commit("lobby", 3);
    FakeClient b = f.joined("lobby");
    FakeClient a = f.connect();
    String ref = f.ref();
    f.handle(a, new Command.Join(ref, "lobby", null));
    Event.Joined joined = a.reply(ref, Event.Joined.class);
    assertEquals("lobby", joined.room());
    assertEquals(List.of(a.name(), b.name()).stream().sorted(UserNames.ORDER).toList(), joined.members());
    assertEquals(3, joined.lastId());
    assertEquals(List.of("m0", "m1", "m2"), joined.messages().stream().map(Message::text).toList());
    assertNull(joined.recovered(), "no since, no recovered");
  }

  @Test
  void withoutSinceAJoinHoldsTheLatest50MessagesOldestFirst() {
    HubFixture f = new HubFixture();
    f.commit("lobby", 120);
    FakeClient a = f.connect();
    Event.Joined joined = f.join(a, "lobby");
    assertEquals(120, joined.lastId());
    assertEquals(range(71, 120), ids(joined));
  }

  @Test
  void anInvalidRoomIsRefused() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.Join(ref, "Not A Room", null)));
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.Join(ref, "lobby", -1L)));
  }

  @Test
  void joinWithSinceRecoversExactlyTheMissedMessages() {
    HubFixture f = new HubFixture();
    f.commit("lobby", 30);
    FakeClient a = f.connect();
    Event.Joined joined = f.join(a, "lobby", 25L);
    assertEquals(Boolean.TRUE, joined.recovered());
    assertEquals(30, joined.lastId());
    assertEquals(range(26, 30), ids(joined));
  }

  @Test
  void joinWithSinceEqualToTheLastIdRecoversNothingMissing() {
    Event.Joined joined = joinLobbySince(7, 7L);
    assertEquals(Boolean.TRUE, joined.recovered());
    assertEquals(List.of(), joined.messages());
  }

  @Test
  void fiveHundredMissedMessagesAreStillRecovered() {
    Event.Joined joined = joinLobbySince(600, 100L);
    assertEquals(Boolean.TRUE, joined.recovered());
    assertEquals(range(101, 600), ids(joined));
  }

  @Test
  void moreThan500MissedGivesTheLatest50NotRecovered() {
    Event.Joined joined = joinLobbySince(600, 99L);
    assertEquals(Boolean.FALSE, joined.recovered());
    assertEquals(600, joined.lastId());
    assertEquals(range(551, 600), ids(joined));
  }

  @Test
  void sinceBeyondTheLastIdGivesTheLatest50NotRecovered() {
    Event.Joined joined = joinLobbySince(60, 61L);
    assertEquals(Boolean.FALSE, joined.recovered());
    assertEquals(60, joined.lastId());
    assertEquals(range(11, 60), ids(joined));
  }

  @Test
  void sinceZeroRecoversAWholeYoungRoom() {
    Event.Joined joined = joinLobbySince(3, 0L);
    assertEquals(Boolean.TRUE, joined.recovered());
    assertEquals(range(1, 3), ids(joined));
  }

  @Test
  void liveMessagesFollowTheJoinedWithoutGapOrDuplicate() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.send(a, "lobby", "one");
    Event.Joined joined = f.join(b, "lobby");
    assertEquals(1, joined.lastId());
    f.send(a, "lobby", "two");
    assertEquals(List.of(2L), b.posted("lobby"));
    int joinedAt = b.events().indexOf(joined);
    assertTrue(joinedAt >= 0 && joinedAt < b.events().size() - 1, "the live message comes after joined");
  }

  @Test
  void theFirstRoomBeyondTheLimitIsRefusedButARejoinIsAllowed() {
    HubFixture f = new HubFixture(HubFixture.UNLIMITED);
    FakeClient a = f.connect();
    for (int i = 1; i <= 50; i++) {
      f.join(a, "room-" + i);
    }
    assertEquals(ErrorCode.TOO_MANY_ROOMS, f.refused(a, ref -> new Command.Join(ref, "room-51", null)));
    assertEquals(List.of(), f.hub.members("room-51"));
    Event.Joined again = f.join(a, "room-7");
    assertEquals(List.of(a.name()), again.members());
    String ref = f.ref();
    f.handle(a, new Command.Leave(ref, "room-1"));
    a.reply(ref, Event.Left.class);
    f.join(a, "room-51");
  }

  @Test
  void theRoomLimitIsPerConnection() {
    HubFixture f = new HubFixture(new Limits(4000, 20, 0, 50, 0, 2));
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    f.join(tab1, "one");
    f.join(tab1, "two");
    assertEquals(ErrorCode.TOO_MANY_ROOMS, f.refused(tab1, ref -> new Command.Join(ref, "three", null)));
    f.join(tab2, "three");
  }

  @Test
  void aRejoinGivesAFreshJoinedAndChangesNothingElse() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.send(b, "lobby", "one");
    a.clear();
    b.clear();

    Event.Joined again = f.join(a, "lobby");

    assertEquals(1, again.lastId());
    assertEquals(List.of(1L), ids(again));
    assertEquals(List.of(again), a.events(), "only the joined");
    b.assertNothing();
    f.send(b, "lobby", "two");
    assertEquals(List.of(2L), a.posted("lobby"), "live messages still arrive once");
    assertEquals(List.of(a.name(), b.name()).stream().sorted(UserNames.ORDER).toList(), f.who(b, "lobby"));
  }

  @Test
  void aRejoinWithSinceRecoversWithoutDuplicatingTheLiveStream() {
    HubFixture f = new HubFixture();
    FakeClient a = f.joined("lobby");
    f.send(a, "lobby", "one");
    f.send(a, "lobby", "two");
    Event.Joined again = f.join(a, "lobby", 1L);
    assertEquals(Boolean.TRUE, again.recovered());
    assertEquals(List.of(2L), ids(again));
    f.send(a, "lobby", "three");
    assertEquals(List.of(1L, 2L, 3L), a.posted("lobby"));
  }

  @Test
  void aRoomLeftByEveryoneIsForgottenAndReopensWithItsHistory() {
    HubFixture f = new HubFixture();
    FakeClient a = f.joined("lobby");
    f.send(a, "lobby", "one");
    f.handle(a, new Command.Leave(f.ref(), "lobby"));
    assertFalse(f.hub.openRooms().contains("lobby"));
    Event.Joined joined = f.join(a, "lobby");
    assertEquals(1, joined.lastId());
    assertEquals(2, f.send(a, "lobby", "two").id());
    assertEquals(List.of(1L, 2L), a.posted("lobby"));
  }
}
