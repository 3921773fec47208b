package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a failing store does to commands: {@code unavailable}, safe retries, nothing half-done. */
@Timeout(60)
class ChatHubStoreFailureTest {

  @Test
  void aSendTheStoreRefusesAnswersUnavailableAndDeliversNothing() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.appendFailure = FlakyStore.AppendFailure.BEFORE_COMMIT;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", "cid-1")));
    assertEquals(List.of(), a.all(Event.Ack.class));
    assertEquals(List.of(), a.posted("lobby"));
    assertEquals(List.of(), b.posted("lobby"));
    assertNull(a.closeCode(), "an error never closes the connection");
  }

  @Test
  void aRetryWithTheSameCidAfterRecoveryIsStoredOnce() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.appendFailure = FlakyStore.AppendFailure.BEFORE_COMMIT;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", "cid-1")));
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", "cid-1")));
    f.store.appendFailure = FlakyStore.AppendFailure.NONE;

    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());
    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());

    assertEquals(1, f.lastId("lobby"));
    assertEquals(List.of(1L), a.posted("lobby"));
    assertEquals(List.of(1L), b.posted("lobby"));
  }

  @Test
  void aRetryAfterAnAppendWhoseOutcomeWasUnknownIsDeliveredToTheRoom() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.appendFailure = FlakyStore.AppendFailure.AFTER_COMMIT; // written, then the reply was lost
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", "cid-1")));
    f.store.appendFailure = FlakyStore.AppendFailure.NONE;

    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());
    f.clock.advanceMillis(1000); // any gap wait

    assertEquals(1, f.lastId("lobby"));
    assertEquals(List.of(1L), b.posted("lobby"), "a committed and acknowledged message reaches the room");
    assertEquals(List.of(1L), a.posted("lobby"));
  }

  @Test
  void aSendAnsweredUnavailableCostsNoToken() {
    // Only accepted sends take a token; a retry after unavailable must not be rate limited for it.
    HubFixture f = new HubFixture(new Limits(4000, 1, 1, 50, 10, 50));
    FakeClient a = f.joined("lobby");
    f.store.appendFailure = FlakyStore.AppendFailure.BEFORE_COMMIT;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", "cid-1")));
    f.store.appendFailure = FlakyStore.AppendFailure.NONE;
    assertEquals(1, f.send(a, "lobby", "hi", "cid-1").id());
  }

  @Test
  void aJoinWhoseSnapshotCannotBeReadAnswersUnavailableAndJoinsNothing() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    f.store.failReads = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Join(ref, "lobby", null)));
    f.store.failReads = false;
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", null)));
    assertEquals(List.of(), f.who(a, "lobby"));
    f.join(a, "lobby");
  }

  @Test
  void aJoinAnsweredUnavailableIsNotAnnouncedToTheRoom() {
    HubFixture f = new HubFixture();
    FakeClient b = f.joined("lobby");
    FakeClient a = f.connect();
    f.store.failReads = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Join(ref, "lobby", null)));
    assertEquals(List.of(), b.presence("lobby"), "the join did not happen");
  }

  @Test
  void aRoomThatCannotBeOpenedAnswersUnavailableAndCanBeJoinedLater() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    f.store.failCreateRoom = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Join(ref, "lobby", null)));
    assertEquals(ErrorCode.NOT_JOINED, f.refused(a, ref -> new Command.Send(ref, "lobby", "hi", null)));
    f.store.failCreateRoom = false;
    f.join(a, "lobby");
    assertEquals(1, f.send(a, "lobby", "hi").id());
    assertEquals(List.of(1L), a.posted("lobby"));
  }

  @Test
  void aFailedHistoryReadAnswersUnavailable() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    f.store.failReads = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.History(ref, "lobby", null, null)));
  }

  @Test
  void aRenameTheStoreCannotRecordAnswersUnavailableAndKeepsTheOldName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.store.failNames = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.Nick(ref, "Alice")));
    f.store.failNames = false;
    assertEquals(List.of(a.name()), f.who(b, "lobby"));
    f.nick(b, "alice"); // the name was not left reserved
  }

  @Test
  void aConnectionWhoseUserCannotBeLoadedIsClosedWith1011() {
    HubFixture f = new HubFixture();
    f.store.failGuests = true;
    FakeClient a = f.connect();
    assertEquals(1011, a.closeCode());
    assertEquals(List.of(), a.events());
    assertEquals(0, f.hub.connectionCount());
    f.store.failGuests = false;
    FakeClient b = f.connect();
    assertFalse(b.name().isEmpty());
  }
}
