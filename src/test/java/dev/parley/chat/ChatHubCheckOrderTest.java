package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a command breaks several rules, the first check in the contract's order answers:
 * shape, patterns, membership, text, rate, names, store.
 */
@Timeout(60)
class ChatHubCheckOrderTest {
  private static final String BLANK = " \u00A0 ";
  private static final String MALFORMED = "bad\u0000text";

  /** One send token, one command token, both practically never refilled. */
  private static HubFixture scarce() {
    return new HubFixture(new Limits(10, 1, 0.0001, 1, 0.0001, 1));
  }

  @Test
  void malformedTextComesBeforeTheRoomName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.Send(ref, "Bad Room", MALFORMED, null)));
  }

  @Test
  void theRoomNameComesBeforeMembershipAndText() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.Send(ref, "Bad Room", BLANK, null)));
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.Leave(ref, "Bad Room")));
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.Typing(ref, "Bad Room")));
  }

  @Test
  void membershipComesBeforeText() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Send(ref, "lobby", BLANK, null)));
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Send(ref, "lobby", "x".repeat(4001), null)));
  }

  @Test
  void textComesBeforeTheRate() {
    HubFixture f = scarce();
    FakeClient a = f.joined("lobby");
    f.send(a, "lobby", "only one");
    assertEquals(ErrorCode.EMPTY, f.refused(a, ref -> new Command.Send(ref, "lobby", BLANK, null)));
    assertEquals(ErrorCode.TOO_LONG, f.refused(a, ref -> new Command.Send(ref, "lobby", "elevenchars", null)));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Send(ref, "lobby", "ok", null)));
  }

  @Test
  void shapeAndPatternsComeBeforeTheRoomLimitAndTheRoomLimitBeforeTheRate() {
    HubFixture f = scarce();
    FakeClient a = f.connect();
    f.join(a, "lobby"); // the only room, and the only command token
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.Join(ref, "Bad Room", -1L)));
    assertEquals(ErrorCode.INVALID_ROOM, f.refused(a, ref -> new Command.Join(ref, "Bad Room", null)));
    assertEquals(ErrorCode.TOO_MANY_ROOMS, f.refused(a, ref -> new Command.Join(ref, "second", null)));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Join(ref, "lobby", null)));
  }

  @Test
  void withDefaultLimitsThe51stJoinIsTooManyRoomsNotRateLimited() {
    HubFixture f = new HubFixture(); // 50 command tokens: the 50 joins spend them all
    FakeClient a = f.connect();
    for (int i = 1; i <= 50; i++) {
      f.join(a, "room-" + i);
    }
    assertEquals(ErrorCode.TOO_MANY_ROOMS, f.refused(a, ref -> new Command.Join(ref, "room-51", null)));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Join(ref, "room-1", null)));
  }

  @Test
  void membershipComesBeforeTheRateForLeave() {
    HubFixture f = scarce();
    FakeClient a = f.joined("lobby");
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Leave(ref, "other")));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Leave(ref, "lobby")));
  }

  @Test
  void aBadHistoryLimitComesBeforeTheRoomName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.History(ref, "Bad Room", null, 0)));
    assertEquals(ErrorCode.BAD_REQUEST, f.refused(a, ref -> new Command.History(ref, "Bad Room", 0L, null)));
  }

  @Test
  void anInvalidNameComesBeforeTheRateAndTheRateBeforeATakenName() {
    HubFixture f = scarce();
    FakeClient holder = f.connect();
    f.nick(holder, "Alice");
    FakeClient a = f.connect();
    f.nick(a, "Bob"); // spends a's only command token
    assertEquals(ErrorCode.INVALID_NAME, f.refused(a, ref -> new Command.Nick(ref, "user1")));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Nick(ref, "alice")));
  }

  @Test
  void refusedCommandsCostNoToken() {
    HubFixture f = scarce();
    FakeClient a = f.connect();
    f.refused(a, ref -> new Command.Join(ref, "Bad Room", null));
    f.refused(a, ref -> new Command.Nick(ref, "user9"));
    f.refused(a, ref -> new Command.History(ref, "lobby", null, 0));
    f.join(a, "lobby");
    f.refused(a, ref -> new Command.Send(ref, "lobby", BLANK, null));
    f.refused(a, ref -> new Command.Send(ref, "other", "hi", null));
    f.send(a, "lobby", "first");
    assertNull(a.closeCode());
  }
}
