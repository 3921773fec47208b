package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-connection token buckets for sends and for other commands. */
@Timeout(60)
class ChatHubRateLimitTest {

  @Test
  void sendsAreRateLimitedAfterTheBurstUntilTheBucketRefills() {
    HubFixture f = new HubFixture(new Limits(4000, 3, 1, 50, 10, 50));
    FakeClient a = f.joined("lobby");
    for (int i = 0; i < 3; i++) {
      f.send(a, "lobby", "burst " + i);
    }
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Send(ref, "lobby", "too fast", null)));
    assertEquals(3, f.lastId("lobby"), "a refused message is not stored");
    f.clock.advanceMillis(999);
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Send(ref, "lobby", "still", null)));
    f.clock.advanceMillis(1);
    assertEquals(4, f.send(a, "lobby", "refilled").id());
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Send(ref, "lobby", "again", null)));
  }

  @Test
  void theSendLimitIsPerConnection() {
    HubFixture f = new HubFixture(new Limits(4000, 1, 1, 50, 10, 50));
    FakeClient tab1 = f.connect("sid-a");
    FakeClient tab2 = f.connect("sid-a");
    f.join(tab1, "lobby");
    f.join(tab2, "lobby");
    f.send(tab1, "lobby", "one");
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(tab1, ref -> new Command.Send(ref, "lobby", "two", null)));
    assertEquals(2, f.send(tab2, "lobby", "from the other tab").id());
  }

  @Test
  void otherCommandsAreRateLimitedAfterTheirBurstUntilTheBucketRefills() {
    HubFixture f = new HubFixture(new Limits(4000, 20, 2, 3, 10, 50));
    FakeClient a = f.joined("lobby");
    f.who(a, "lobby");
    f.handle(a, new Command.History("h", "lobby", null, null));
    a.reply("h", Event.History.class);
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Who(ref, "lobby")));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Leave(ref, "lobby")));
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Nick(ref, "Alice")));
    f.send(a, "lobby", "sends have their own bucket");
    f.clock.advanceMillis(100);
    f.who(a, "lobby");
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Who(ref, "lobby")));
  }

  @Test
  void commandsRefusedByTheStoreOrForATakenNameCostNoToken() {
    HubFixture f = new HubFixture(new Limits(4000, 20, 2, 2, 0.0001, 50));
    FakeClient holder = f.connect();
    f.nick(holder, "Alice");
    FakeClient a = f.connect();
    f.join(a, "lobby"); // one of two tokens
    assertEquals(ErrorCode.NAME_TAKEN, f.refused(a, ref -> new Command.Nick(ref, "alice")));
    f.store.failReads = true;
    assertEquals(ErrorCode.UNAVAILABLE, f.refused(a, ref -> new Command.History(ref, "lobby", null, null)));
    f.store.failReads = false;
    f.who(a, "lobby"); // the second token
    assertEquals(ErrorCode.RATE_LIMITED, f.refused(a, ref -> new Command.Who(ref, "lobby")));
  }
}
