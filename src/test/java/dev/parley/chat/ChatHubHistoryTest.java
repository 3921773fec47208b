package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paging back through a room, and who is in it. */
@Timeout(60)
class ChatHubHistoryTest {

  private static List<Long> ids(Event.History page) {
    return page.messages().stream().map(Message::id).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static Event.History history(HubFixture f, FakeClient c, String room, Long before, Integer limit) {
    String ref = f.ref();
    f.handle(c, new Command.History(ref, room, before, limit));
    Event.History page = c.reply(ref, Event.History.class);
    assertEquals(room, page.room());
    return page;
  }

  @Test
  void historyPagesBackOldestFirstAndSaysWhetherMoreExist() {
    HubFixture f = new HubFixture();
    f.commit("lobby", 120);
    FakeClient a = f.connect(); // history does not need a join

    Event.History newest = history(f, a, "lobby", null, null);
    assertEquals(range(71, 120), ids(newest), "the default limit is 50");
    assertTrue(newest.more());

    Event.History older = history(f, a, "lobby", 71L, 60);
    assertEquals(range(11, 70), ids(older));
    assertTrue(older.more());

    Event.History oldest = history(f, a, "lobby", 11L, 100);
    assertEquals(range(1, 10), ids(oldest));
    assertFalse(oldest.more());

    Event.History exact = history(f, a, "lobby", 11L, 10);
    assertEquals(range(1, 10), ids(exact));
    assertFalse(exact.more(), "nothing is older than id 1");

    assertEquals(List.of(1L), ids(history(f, a, "lobby", 2L, 1)));
    assertEquals(List.of(), ids(history(f, a, "lobby", 1L, 5)));
  }

  @Test
  void historyOfARoomNobodyUsedIsEmpty() {
    HubFixture f = new HubFixture();
    Event.History page = history(f, f.connect(), "quiet", null, 100);
    assertEquals(List.of(), page.messages());
    assertFalse(page.more());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 101, -1, Integer.MIN_VALUE})
  void aLimitOutsideOneTo100IsABadRequest(int limit) {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.History(ref, "lobby", null, limit)));
  }

  @Test
  void theLimitsOfTheLimitAreAccepted() {
    HubFixture f = new HubFixture();
    f.commit("lobby", 150);
    FakeClient a = f.connect();
    assertEquals(1, history(f, a, "lobby", null, 1).messages().size());
    assertEquals(100, history(f, a, "lobby", null, 100).messages().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void aBeforeBelowOneIsABadRequest(long before) {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.History(ref, "lobby", before, null)));
  }

  @Test
  void historyOfAnInvalidRoomIsRefused() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.History(ref, "Lobby", null, null)));
  }

  @Test
  void whoListsTheMembersSortedWithoutJoining() {
    HubFixture f = new HubFixture();
    FakeClient asker = f.connect();
    for (String name : List.of("carol", "Bob", "alice", "bob_")) {
      FakeClient c = f.connect();
      f.nick(c, name);
      f.join(c, "lobby");
    }
    FakeClient tab1 = f.connect("sid-d");
    FakeClient tab2 = f.connect("sid-d");
    f.nick(tab1, "Dave");
    f.join(tab1, "lobby");
    f.join(tab2, "lobby");
    assertEquals(List.of("alice", "Bob", "bob_", "carol", "Dave"), f.who(asker, "lobby"));
    assertEquals(List.of(), f.who(asker, "empty"));
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(asker, ref -> new Command.Who(ref, "Lobby")));
  }
}
