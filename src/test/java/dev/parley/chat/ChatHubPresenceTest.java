package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Presence (join/leave, with and without a leave grace) and typing. */
@Timeout(60)
class ChatHubPresenceTest {

  @Test
  void aUsersArrivalIsAnnouncedToTheOthersOnly() {
    HubFixture f = new HubFixture();
    FakeClient b = f.joined("lobby");
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.joined("sid-a", "elsewhere");

    f.join(a1, "lobby");

    assertEquals(List.of("join " + a1.name()), b.presence("lobby"));
    assertEquals(List.of(), a1.all(Event.Presence.class));
    assertEquals(List.of(), a2.all(Event.Presence.class));
  }

  @Test
  void aSecondSocketOfTheSameSessionJoiningIsNotAnnouncedAgain() {
    HubFixture f = new HubFixture();
    FakeClient b = f.joined("lobby");
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    f.join(a1, "lobby");
    f.join(a2, "lobby");
    assertEquals(List.of("join " + a1.name()), b.presence("lobby"));
  }

  @Test
  void othersArrivingAreAnnouncedToEverySocketOfAMember() {
    HubFixture f = new HubFixture();
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    f.join(a1, "lobby");
    f.join(a2, "lobby");
    FakeClient c = f.joined("lobby");
    assertEquals(List.of("join " + c.name()), a1.presence("lobby"));
    assertEquals(List.of("join " + c.name()), a2.presence("lobby"));
  }

  @Test
  void onlyTheLastSocketLeavingIsAnnounced() {
    HubFixture f = new HubFixture();
    FakeClient b = f.joined("lobby");
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    FakeClient a3 = f.connect("sid-a");
    f.join(a1, "lobby");
    f.join(a2, "lobby");
    f.join(a3, "lobby");
    b.clear();

    f.handle(a1, new Command.Leave(f.ref(), "lobby"));
    f.disconnect(a2);
    assertEquals(List.of(), b.presence("lobby"));
    assertEquals(List.of(a3.name(), b.name()).stream().sorted(UserNames.ORDER).toList(), f.who(b, "lobby"));

    f.disconnect(a3);
    assertEquals(List.of("leave " + a1.name()), b.presence("lobby"));
    assertEquals(List.of(b.name()), f.who(b, "lobby"));
  }

  @Test
  void withAGraceADisconnectIsAnnouncedOnlyAfterIt() {
    HubFixture f = new HubFixture(Limits.defaults(), 2000);
    FakeClient b = f.joined("lobby");
    FakeClient a = f.joined("sid-a", "lobby");
    b.clear();

    f.disconnect(a);
    f.clock.advanceMillis(1999);
    assertEquals(List.of(), b.presence("lobby"));
    assertTrue(f.who(b, "lobby").contains(a.name()), "still listed during the grace");

    f.clock.advanceMillis(1);
    assertEquals(List.of("leave " + a.name()), b.presence("lobby"));
    assertEquals(List.of(b.name()), f.who(b, "lobby"));
  }

  @Test
  void aReconnectWithinTheGraceIsNeitherALeaveNorAJoin() {
    HubFixture f = new HubFixture(Limits.defaults(), 2000);
    FakeClient b = f.joined("lobby");
    FakeClient a = f.joined("sid-a", "lobby");
    b.clear();

    f.disconnect(a);
    f.clock.advanceMillis(1500);
    FakeClient reloaded = f.connect("sid-a");
    assertEquals(a.name(), reloaded.name());
    Event.Joined joined = f.join(reloaded, "lobby");
    f.clock.advanceMillis(10_000);

    assertEquals(List.of(), b.presence("lobby"));
    assertEquals(List.of(a.name(), b.name()).stream().sorted(UserNames.ORDER).toList(), joined.members());
    f.send(b, "lobby", "still here?");
    assertEquals(List.of(1L), reloaded.posted("lobby"));
  }

  @Test
  void anExplicitLeaveIsAnnouncedAtOnceEvenWithAGrace() {
    HubFixture f = new HubFixture(Limits.defaults(), 2000);
    FakeClient b = f.joined("lobby");
    FakeClient a = f.joined("sid-a", "lobby");
    f.handle(a, new Command.Leave(f.ref(), "lobby"));
    assertEquals(List.of("join " + a.name(), "leave " + a.name()), b.presence("lobby"));
  }

  @Test
  void aConnectionWithoutASessionLeavesAtOnceEvenWithAGrace() {
    HubFixture f = new HubFixture(Limits.defaults(), 2000);
    FakeClient b = f.joined("lobby");
    FakeClient guest = f.joined("lobby");
    f.disconnect(guest);
    assertEquals(List.of("join " + guest.name(), "leave " + guest.name()), b.presence("lobby"));
  }

  @Test
  void typingIsRelayedToOthersAtMostOncePerThreeSecondsPerUserAndRoom() {
    HubFixture f = new HubFixture(HubFixture.UNLIMITED);
    FakeClient a1 = f.connect("sid-a");
    FakeClient a2 = f.connect("sid-a");
    FakeClient b = f.connect();
    for (FakeClient c : List.of(a1, a2, b)) {
      f.join(c, "lobby");
      f.join(c, "other");
    }
    Event.Typing lobby = new Event.Typing("lobby", a1.name());

    f.handle(a1, new Command.Typing(f.ref(), "lobby"));
    assertEquals(List.of(lobby), b.all(Event.Typing.class));
    f.clock.advanceMillis(1000);
    f.handle(a1, new Command.Typing(f.ref(), "lobby"));
    f.clock.advanceNanos(1_999_999_999L);
    f.handle(a2, new Command.Typing(f.ref(), "lobby"));
    assertEquals(List.of(lobby), b.all(Event.Typing.class), "2.999999999 s later: the same user, dropped");

    f.handle(a2, new Command.Typing(f.ref(), "other"));
    assertEquals(List.of(lobby, new Event.Typing("other", a1.name())), b.all(Event.Typing.class),
        "another room is counted apart");

    f.clock.advanceNanos(1);
    f.handle(a2, new Command.Typing(f.ref(), "lobby"));
    assertEquals(3, b.all(Event.Typing.class).size(), "3 s after the first relayed one");
    assertEquals(List.of(), a1.all(Event.Typing.class), "never to the typist's own sockets");
    assertEquals(List.of(), a2.all(Event.Typing.class));
    assertEquals(List.of(), a1.all(Event.Failure.class));
  }

  @Test
  void anOverLimitTypingIsDroppedSilently() {
    HubFixture f = new HubFixture(new Limits(4000, 20, 2, 1, 0.001, 50));
    FakeClient b = f.joined("lobby");
    FakeClient a = f.connect();
    f.join(a, "lobby"); // takes the only command token
    f.handle(a, new Command.Typing(f.ref(), "lobby"));
    assertEquals(List.of(), b.all(Event.Typing.class));
    assertEquals(List.of(), a.all(Event.Failure.class));
  }
}
