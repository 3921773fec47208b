package dev.parley.broker;

import static dev.parley.broker.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Presence} adapter promises, run by each adapter's test class. The cases
 * with several nodes are in {@link ClusteredPresenceContract}; {@link InProcessPresence} is
 * one node by definition. Rooms and users carry a prefix unique to the test.
 */
@Timeout(60)
abstract class PresenceContract {
  protected Presence presence;
  private final List<Presence> nodes = new ArrayList<>();
  private String prefix;

  /** A new node of the cluster every node of this test is on. */
  protected abstract Presence newNode() throws Exception;


  @BeforeEach
  void openNode() throws Exception {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    presence = node();
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(Presence::close);
  }

  /** A new node, closed after the test. */
  protected Presence node() throws Exception {
    return closedAfterTheTest(newNode());
  }

  protected <T extends Presence> T closedAfterTheTest(T node) {
    nodes.add(node);
    return node;
  }

  /** A name (of a room or a user) no other test uses. */
  protected String unique(String name) {
    return prefix + name;
  }

  @Test
  void aUsersFirstEnterIsAnArrivalAndItsExitADeparture() throws Exception {
    String room = unique("room");
    String user = unique("u1");

    assertTrue(await(presence.enter(room, user, "alice")), "the first enter is an arrival");
    assertEquals(Map.of(user, "alice"), await(presence.members(room)));
    assertTrue(await(presence.exit(room, user)), "the last exit is a departure");
    assertEquals(Map.of(), await(presence.members(room)));
  }

  @Test
  void enteringTwiceOnOneNodeIsOneMembershipWithTheLaterName() throws Exception {
    String room = unique("room");
    String user = unique("u1");

    assertTrue(await(presence.enter(room, user, "alice")));
    assertFalse(await(presence.enter(room, user, "alice2")), "a second enter is no arrival");
    assertEquals(Map.of(user, "alice2"), await(presence.members(room)));
    assertTrue(await(presence.exit(room, user)), "one exit undoes both");
    assertEquals(Map.of(), await(presence.members(room)));
  }

  @Test
  void exitingARoomTheUserIsNotInIsNoDeparture() throws Exception {
    String room = unique("room");
    await(presence.enter(room, unique("u1"), "alice"));

    assertFalse(await(presence.exit(room, unique("u2"))), "a user never entered");
    assertFalse(await(presence.exit(unique("empty"), unique("u1"))), "a room never entered");
    assertEquals(Map.of(unique("u1"), "alice"), await(presence.members(room)));
  }

  @Test
  void membersAreEveryUserOfTheRoomWithItsNameAndNoOneElse() throws Exception {
    String room = unique("room");
    String other = unique("other");
    await(presence.enter(room, unique("u1"), "alice"));
    await(presence.enter(room, unique("u2"), "bob"));
    await(presence.enter(other, unique("u3"), "carol"));

    assertEquals(Map.of(unique("u1"), "alice", unique("u2"), "bob"), await(presence.members(room)));
    assertEquals(Map.of(unique("u3"), "carol"), await(presence.members(other)));
    assertEquals(Map.of(), await(presence.members(unique("nobody-here"))));
  }

  @Test
  void leavingOneRoomKeepsTheUserInItsOtherRooms() throws Exception {
    String first = unique("first");
    String second = unique("second");
    String user = unique("u1");
    await(presence.enter(first, user, "alice"));

    assertTrue(await(presence.enter(second, user, "alice")), "an arrival in each room");
    assertTrue(await(presence.exit(first, user)));
    assertEquals(Map.of(user, "alice"), await(presence.members(second)));
  }

  @Test
  void aRenameIsReflectedInEveryRoomTheUserIsInAndNoOtherUser() throws Exception {
    String first = unique("first");
    String second = unique("second");
    String user = unique("u1");
    await(presence.enter(first, user, "alice"));
    await(presence.enter(second, user, "alice"));
    await(presence.enter(second, unique("u2"), "bob"));

    await(presence.rename(user, "alicia"));

    assertEquals(Map.of(user, "alicia"), await(presence.members(first)));
    assertEquals(Map.of(user, "alicia", unique("u2"), "bob"), await(presence.members(second)));
  }

  @Test
  void aRenameOfAUserInNoRoomChangesNothing() throws Exception {
    String room = unique("room");
    await(presence.enter(room, unique("u1"), "alice"));

    await(presence.rename(unique("u2"), "ghost"));

    assertEquals(Map.of(unique("u1"), "alice"), await(presence.members(room)));
  }

}
