package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rooms, the current one, and the last id seen: what makes a rejoin show nothing twice. */
@Timeout(60)
class RoomsTest {
  @Test
  void aMessageIsAcceptedOnceAndOnlyAboveTheLastIdSeen() {
    Rooms rooms = new Rooms();
    rooms.add("general");
    assertNull(rooms.since("general"), "nothing seen yet: a first join has no since");
    assertTrue(rooms.accept("general", 3));
    assertFalse(rooms.accept("general", 3), "a repeat");
    assertFalse(rooms.accept("general", 2), "an older one");
    assertTrue(rooms.accept("general", 4));
    assertEquals(4L, rooms.since("general"));
  }

  @Test
  void aJoinedSnapshotCountsAsSeenUpToItsLastId() {
    Rooms rooms = new Rooms();
    rooms.add("general");
    rooms.seenUpTo("general", 10);
    assertFalse(rooms.accept("general", 10));
    assertTrue(rooms.accept("general", 11));
    rooms.seenUpTo("general", 5);
    assertEquals(11L, rooms.since("general"), "never goes back");
  }

  @Test
  void messagesOfRoomsNotJoinedAreNotAccepted() {
    Rooms rooms = new Rooms();
    assertFalse(rooms.accept("elsewhere", 1));
  }

  @Test
  void leavingTheCurrentRoomMakesTheRoomJoinedLastBeforeItCurrent() {
    Rooms rooms = new Rooms();
    rooms.add("general");
    rooms.add("ops");
    rooms.add("random");
    rooms.setCurrent("ops");
    rooms.remove("ops");
    assertEquals("random", rooms.current());
    rooms.remove("general");
    assertEquals("random", rooms.current(), "leaving another room keeps the current one");
    rooms.remove("random");
    assertNull(rooms.current());
    assertEquals(List.of(), rooms.all());
  }

  @Test
  void forgettingARoomStartsItsIdsAfresh() {
    Rooms rooms = new Rooms();
    rooms.add("general");
    rooms.accept("general", 50);
    rooms.forget("general");
    assertNull(rooms.since("general"));
    assertTrue(rooms.accept("general", 1));
  }
}
