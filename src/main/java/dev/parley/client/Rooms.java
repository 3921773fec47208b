package dev.parley.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The rooms the user is in, in the order they were joined, the current one (where typed text goes),
 * and the last message id seen in each. The last id is what a reconnect passes as {@code since}, and
 * what keeps a message from being shown twice: ids only grow within a room, so one not above the last
 * seen is a repeat. Not thread-safe: the session uses it on its event loop.
 */
final class Rooms {
  private final LinkedHashSet<String> rooms = new LinkedHashSet<>();
  /** Absent until the room's first {@code joined}: nothing has been seen yet. */
  private final Map<String, Long> lastIds = new HashMap<>();
  private String current;

  /** Adds a room (not current until {@link #setCurrent}); a room already there keeps its place and last id. */
  void add(String room) {
    rooms.add(room);
  }

  boolean contains(String room) {
    return rooms.contains(room);
  }

  /** Removes a room; when it was the current one, the room joined last before it becomes current. */
  void remove(String room) {
    rooms.remove(room);
    lastIds.remove(room);
    if (room.equals(current)) {
      current = null;
      for (String r : rooms) {
        current = r;
      }
    }
  }

  List<String> all() {
    return new ArrayList<>(rooms);
  }

  /** The room typed text goes to, or null when the user is in none. */
  String current() {
    return current;
  }

  void setCurrent(String room) {
    if (!rooms.contains(room)) {
      throw new IllegalArgumentException("not in " + room);
    }
    current = room;
  }

  /** The {@code since} for a (re)join: the last id seen, or null before the first {@code joined}. */
  Long since(String room) {
    return lastIds.get(room);
  }

  /** Takes a message id; {@code false} when it was seen already (or the room is not one of ours). */
  boolean accept(String room, long id) {
    if (!rooms.contains(room)) {
      return false;
    }
    Long last = lastIds.get(room);
    if (last != null && id <= last) {
      return false;
    }
    lastIds.put(room, id);
    return true;
  }

  /** After a {@code joined}: everything up to the snapshot's {@code lastId} has been seen (or skipped). */
  void seenUpTo(String room, long lastId) {
    if (rooms.contains(room)) {
      lastIds.merge(room, lastId, Math::max);
    }
  }

  /** Forgets what was seen in a room: its server starts again from lower ids (a store that was wiped). */
  void forget(String room) {
    lastIds.remove(room);
  }
}
