package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Names while the store is still deciding: nothing stranded, never two holders. */
@Timeout(60)
class ChatHubNameRacesTest {
  private static final long DAY = 24L * 3600 * 1000;
  private final HubFixture f = new HubFixture();

  @Test
  void aSessionRenamedWhileClosingGetsItsNewNameBackOnReconnect() {
    FakeClient a = f.connect("sid-a");
    f.store.hold.add(FlakyStore.Op.NAMES);
    f.handle(a, new Command.Nick("n", "Alice"));
    f.disconnect(a);
    f.store.release();
    assertEquals("Alice", f.connect("sid-a").name(), "the store recorded Alice for the session");
  }

  @Test
  void aConnectionRenamedWhileClosingLeavesTheNameFree() {
    FakeClient a = f.connect();
    f.store.hold.add(FlakyStore.Op.NAMES);
    f.handle(a, new Command.Nick("n", "Alice"));
    f.disconnect(a);
    f.store.release();
    FakeClient b = f.connect();
    assertEquals("alice", f.nick(b, "alice").to(), "nobody online holds Alice");
  }

  @Test
  void aReturningSessionAndARenameRacingForTheSameNameNeverBothGetIt() {
    FakeClient a = f.connect("sid-a");
    f.nick(a, "Alice");
    f.disconnect(a);
    f.clock.advanceMillis(8 * DAY); // Alice is no longer held for sid-a

    FakeClient g = f.connect();
    f.store.hold.add(FlakyStore.Op.NAMES);
    FakeClient back = f.connect("sid-a"); // claims its stored name Alice
    f.handle(g, new Command.Nick("n", "Alice"));
    f.store.release();

    f.join(back, "lobby");
    f.join(g, "lobby");
    List<String> members = f.who(g, "lobby");
    assertEquals(2, members.stream().map(UserNames::key).distinct().count(), "two holders of one name: " + members);
  }

  @Test
  void aMessageSentRightAfterANickCarriesTheNewName() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    f.store.hold.add(FlakyStore.Op.NAMES);
    f.handle(a, new Command.Nick("n", "Alice"));
    f.handle(a, new Command.Send("s", "lobby", "it is me", null));
    assertEquals(List.of(), b.posted("lobby"));
    f.store.release();
    a.reply("n", Event.NickChanged.class);
    a.reply("s", Event.Ack.class);
    assertEquals("Alice", b.all(Event.Posted.class).get(0).message().from());
  }

  @Test
  void commandsSentAfterARefusedNickStillRun() {
    FakeClient holder = f.connect("sid-h");
    f.nick(holder, "Alice");
    f.disconnect(holder); // Alice stays held in the store for 7 days
    FakeClient a = f.joined("lobby");
    f.store.hold.add(FlakyStore.Op.NAMES);
    f.handle(a, new Command.Nick("n", "Alice"));
    f.handle(a, new Command.Send("s", "lobby", "still me", null));
    f.store.release();
    assertEquals(ErrorCode.NAME_TAKEN, a.error("n"));
    assertEquals(1, a.reply("s", Event.Ack.class).id());
    assertEquals(a.name(), a.all(Event.Posted.class).get(0).message().from());
  }
}
