package dev.parley.broker;

import static dev.parley.broker.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What an adapter whose nodes share one view promises beyond {@link PresenceContract}: the cases with
 * several nodes of one cluster.
 */
abstract class ClusteredPresenceContract extends PresenceContract {

  @Test
  void aUserOnTwoNodesArrivesOnceAndDepartsOnce() throws Exception {
    Presence other = node();
    String room = unique("room");
    String user = unique("u1");

    assertTrue(await(presence.enter(room, user, "alice")), "first on any node");
    assertFalse(await(other.enter(room, user, "alice")), "already in the room on another node");
    assertFalse(await(presence.exit(room, user)), "still in the room on the other node");
    assertEquals(Map.of(user, "alice"), await(presence.members(room)));
    assertTrue(await(other.exit(room, user)), "the last node let go");
    assertEquals(Map.of(), await(presence.members(room)));
    assertEquals(Map.of(), await(other.members(room)));
  }

  @Test
  void membersAcrossNodesAreListedOncePerUserFromEveryNode() throws Exception {
    Presence other = node();
    Presence bystander = node();
    String room = unique("room");
    await(presence.enter(room, unique("u1"), "alice"));
    await(presence.enter(room, unique("u2"), "bob"));
    await(other.enter(room, unique("u1"), "alice"));
    await(other.enter(room, unique("u3"), "carol"));

    Map<String, String> expected = Map.of(unique("u1"), "alice", unique("u2"), "bob", unique("u3"), "carol");
    for (Presence node : List.of(presence, other, bystander)) {
      assertEquals(expected, await(node.members(room)));
    }
  }

  @Test
  void aRenameRecordedOnEveryNodeHoldingTheUserIsSeenFromEveryNode() throws Exception {
    Presence other = node();
    Presence bystander = node();
    String room = unique("room");
    String user = unique("u1");
    await(presence.enter(room, user, "alice"));
    await(other.enter(room, user, "alice"));

    await(presence.rename(user, "alicia"));
    await(other.rename(user, "alicia"));

    for (Presence node : List.of(presence, other, bystander)) {
      assertEquals(Map.of(user, "alicia"), await(node.members(room)));
    }
  }

  @Test
  void concurrentEntersAndExitsOfOneUserOnTwoNodesAnnounceExactlyOneArrivalAndOneDeparture() throws Exception {
    Presence other = node();
    String room = unique("race");
    int users = 100;

    List<CompletableFuture<Boolean>> enters = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      enters.add(presence.enter(room, unique("u" + i), "n" + i).toCompletableFuture());
      enters.add(other.enter(room, unique("u" + i), "n" + i).toCompletableFuture());
    }
    for (int i = 0; i < users; i++) {
      assertEquals(1, arrivals(enters.get(2 * i), enters.get(2 * i + 1)), "arrivals of user " + i);
    }
    List<CompletableFuture<Boolean>> exits = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      exits.add(other.exit(room, unique("u" + i)).toCompletableFuture());
      exits.add(presence.exit(room, unique("u" + i)).toCompletableFuture());
    }
    for (int i = 0; i < users; i++) {
      assertEquals(1, arrivals(exits.get(2 * i), exits.get(2 * i + 1)), "departures of user " + i);
    }
    assertEquals(Map.of(), await(presence.members(room)));
  }

  private static int arrivals(CompletableFuture<Boolean> a, CompletableFuture<Boolean> b) throws Exception {
    return (await(a) ? 1 : 0) + (await(b) ? 1 : 0);
  }
}
