package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renaming: rules, uniqueness, who hears of it, and how long a name is held. */
@Timeout(60)
class ChatHubNamesTest {
  private static final long DAY = 24L * 3600 * 1000;

  @ParameterizedTest
  @ValueSource(strings = {"user123", "USER7", "User0", "", "a b", "abcdefghijklmnopqrstuvwxyz0123456", "caf\u00e9"})
  void aReservedOrMalformedNameIsInvalid(String name) {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    assertEquals(ErrorCode.INVALID_NAME, f.refused(a, ref -> new Command.Nick(ref, name)));
  }

  @Test
  void aNameHeldByAnotherUserIsTakenWhateverItsCase() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect("sid-b");
    f.nick(a, "Alice");
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(b, ref -> new Command.Nick(ref, "alice")));
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(b, ref -> new Command.Nick(ref, "ALICE")));
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(b, ref -> new Command.Nick(ref, "Alice")));
    assertEquals("Alice", f.nick(a, "Alice").to(), "the holder itself may still ask for it");
  }

  @Test
  void aGuestNameInUseIsTakenToo() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.nick(a, "Alice");
    f.nick(b, "Bob");
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(a, ref -> new Command.Nick(ref, "bob")));
  }

  @Test
  void aCaseVariantOfOnesOwnNameIsAllowed() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    f.nick(a, "alice");
    Event.NickChanged changed = f.nick(a, "ALICE");
    assertEquals("alice", changed.from());
    assertEquals("ALICE", changed.to());
    FakeClient b = f.connect();
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(b, ref -> new Command.Nick(ref, "Alice")));
  }

  @Test
  void aNickToExactlyTheCurrentNameAnswersTheAskerAlone() {
    HubFixture f = new HubFixture();
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    FakeClient b = f.connect();
    for (FakeClient c : List.of(a1, a2, b)) {
      f.join(c, "lobby");
    }
    f.nick(a1, "Alice");
    List.of(a1, a2, b).forEach(FakeClient::clear);
    String ref = f.ref();
    f.handle(a2, new Command.Nick(ref, "Alice"));
    assertEquals(List.of(new Event.NickChanged(ref, "Alice", "Alice")), a2.events());
    a1.assertNothing();
    b.assertNothing();
  }

  @Test
  void theNickEventReachesRoomMatesAndOwnSocketsWithTheRefOnlyOnTheAskersCopy() {
    HubFixture f = new HubFixture();
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a"); // in no room
    FakeClient mate = f.connect();
    FakeClient mateOfTab2 = f.connect();
    FakeClient stranger = f.connect();
    FakeClient plain = f.connectPlain(); // in general
    f.join(a1, "lobby");
    f.join(a1, "general");
    f.join(mate, "lobby");
    f.join(mate, "general"); // shares two rooms: still one event
    f.join(stranger, "elsewhere");
    String old = a1.name();
    List.of(a1, a2, mate, mateOfTab2, stranger, plain).forEach(FakeClient::clear);

    String ref = f.ref();
    f.handle(a1, new Command.Nick(ref, "Alice"));

    assertEquals(List.of(new Event.NickChanged(ref, old, "Alice")), a1.events());
    assertEquals(List.of(new Event.NickChanged(null, old, "Alice")), a2.events());
    assertEquals(List.of(new Event.NickChanged(null, old, "Alice")), mate.events());
    stranger.assertNothing();
    mateOfTab2.assertNothing();
    plain.assertNothing(); // /chat sockets get only messages and answers to their own commands
    assertEquals("Alice", f.connect("sid-a").name(), "a new tab of the session has the new name");
  }

  @Test
  void membersListsShowTheNewName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.nick(a, "zed");
    f.nick(b, "Anna");
    assertEquals(List.of("Anna", "zed"), f.who(a, "lobby"));
    FakeClient c = f.connect();
    assertEquals(List.of("Anna", c.name(), "zed"), f.join(c, "lobby").members());
  }

  @Test
  void aConnectionsNameIsFreedWhenItCloses() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect();
    f.nick(a, "Alice");
    f.disconnect(a);
    FakeClient b = f.connect();
    f.nick(b, "alice");
  }

  @Test
  void aRenamedUserFreesItsOldName() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    FakeClient b = f.connect("sid-b");
    f.nick(a, "Alice");
    f.nick(a, "Alicia");
    f.nick(b, "alice");
  }

  @Test
  void aSessionKeepsItsNameAcrossReconnects() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    f.nick(a, "Alice");
    f.disconnect(a);
    f.clock.advanceMillis(DAY);
    assertEquals("Alice", f.connect("sid-a").name());
  }

  @Test
  void aSessionsNameIsHeldForSevenDaysAfterItsLastSocketCloses() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    f.nick(a, "Alice");
    f.disconnect(a);
    FakeClient b = f.connect();
    f.clock.advanceMillis(7 * DAY);
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(b, ref -> new Command.Nick(ref, "alice")));
    f.clock.advanceMillis(1);
    f.nick(b, "alice");
  }

  @Test
  void aSessionWhoseNameWasTakenWhileAwayComesBackAsAGuest() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    f.nick(a, "Alice");
    f.disconnect(a);
    f.clock.advanceMillis(7 * DAY + 1);
    FakeClient b = f.connect();
    f.nick(b, "alice");
    String back = f.connect("sid-a").name();
    assertEquals(true, back.matches("user[0-9]+"), back);
  }

  @Test
  void aSessionUnusedFor30DaysIsNeverAdopted() {
    HubFixture f = new HubFixture();
    FakeClient a = f.connect("sid-a");
    f.nick(a, "Alice");
    f.disconnect(a);
    f.clock.advanceMillis(30 * DAY + 1);
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    assertEquals(true, tab1.name().matches("user[0-9]+"), tab1.name());
    assertEquals(false, tab1.name().equals(tab2.name()), "each connection is a guest of its own");
  }

  @Test
  void aUserLingeringInARoomDuringTheLeaveGraceHearsOfNoRenameItsRoomMatesMiss() {
    // Tab 1 sits in lobby and reloads; tab 2 (in no room) renames during the grace. The lobby
    // still lists the user under the old name, so the eventual leave must name someone the
    // room mates know: either they get the nick event, or the leave carries the listed name.
    HubFixture f = new HubFixture(Limits.defaults(), 2000);
    FakeClient b = f.joined("lobby");
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    f.join(tab1, "lobby");
    String old = tab1.name();
    f.disconnect(tab1);
    f.nick(tab2, "Alice");
    f.clock.advanceMillis(2000);
    List<String> seen = new java.util.ArrayList<>();
    for (Event e : b.events()) {
      if (e instanceof Event.NickChanged n) {
        seen.add("nick " + n.from() + " " + n.to());
      } else if (e instanceof Event.Presence p) {
        seen.add((p.joined() ? "join " : "leave ") + p.name());
      }
    }
    List<String> renamed = List.of("join " + old, "nick " + old + " Alice", "leave Alice");
    List<String> leftUnderOldName = List.of("join " + old, "leave " + old);
    assertEquals(true, seen.equals(renamed) || seen.equals(leftUnderOldName),
        "room mate saw " + seen + "; expected " + renamed + " or " + leftUnderOldName);
  }
}
