package dev.parley.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A room as this node sees it while at least one local socket is in it: who is here, and the
 * room's live stream, put back in id order before it is fanned out.
 */
final class Room {
  final String name;
  /** The sockets that joined, in join order. */
  final Map<Peer, Subscription> subscriptions = new LinkedHashMap<>();
  /** This node's users in the room, with how many of their sockets are in it (0 while a leave is pending). */
  final Map<User, Integer> members = new LinkedHashMap<>();
  /** The room's members on every node, by user identity key, as this node last heard: what who lists. */
  final Map<String, String> cluster = new HashMap<>();
  /** Members the last reconciliation found listed here but not in the cluster's record. */
  Set<String> missingOnce = Set.of();
  /** Members the last reconciliation found in the cluster's record but not listed here. */
  Set<String> unlistedOnce = Set.of();
  /** Users whose arrival was announced (their first join succeeded), so their departure is too. */
  final Set<User> announced = new HashSet<>();
  /** Pending "leave" announcements of users whose last socket went away, by user. */
  final Map<User, Runnable> leaving = new LinkedHashMap<>();
  /** Joins that wait until the room's last id is known. */
  final List<PendingJoin> pendingJoins = new ArrayList<>();
  /** Messages that arrived ahead of a missing id. */
  final TreeMap<Long, Message> early = new TreeMap<>();
  boolean loaded;
  /** The id of the last message fanned out to this room's sockets. */
  long lastDelivered;
  Runnable gapTimer;

  record PendingJoin(Subscription subscription, Command.Join join) {}

  Room(String name) {
    this.name = name;
  }

  /**
   * The members' names: the cluster's record, and this node's users whose arrival is announced but
   * not yet back from the broker (a {@code who} right after someone's {@code joined} lists them).
   */
  List<String> memberNames() {
    return memberNamesWith(null);
  }

  /** The member names, with {@code joining} among them even before its own arrival is announced. */
  List<String> memberNamesWith(User joining) {
    List<String> names = new ArrayList<>(cluster.values());
    for (User user : announced) {
      if (!cluster.containsKey(user.key)) {
        names.add(user.name);
      }
    }
    if (joining != null && !cluster.containsKey(joining.key) && !announced.contains(joining)) {
      names.add(joining.name);
    }
    names.sort(UserNames.ORDER);
    return names;
  }

  boolean idle() {
    return subscriptions.isEmpty() && leaving.isEmpty() && pendingJoins.isEmpty();
  }

  /**
   * Takes a message from the broker. Returns {@code true} when a gap opened that must be
   * filled from the store. Messages already delivered are dropped.
   */
  boolean accept(Message m) {
    if (!loaded) {
      early.put(m.id(), m);
      return false;
    }
    if (m.id() <= lastDelivered) {
      return false;
    }
    early.put(m.id(), m);
    drain();
    return !early.isEmpty();
  }

  /** Fans out every early message that is next in line. */
  void drain() {
    while (!early.isEmpty() && early.firstKey() <= lastDelivered + 1) {
      Message m = early.pollFirstEntry().getValue();
      if (m.id() == lastDelivered + 1) {
        fanOut(m);
      }
    }
  }

  private void fanOut(Message m) {
    lastDelivered = m.id();
    Event.Posted posted = new Event.Posted(m);
    List<Subscription> lost = null;
    for (Subscription s : subscriptions.values()) {
      if (!s.offer(posted)) {
        lost = lost == null ? new ArrayList<>() : lost;
        lost.add(s);
      }
    }
    if (lost != null) {
      for (Subscription s : lost) {
        s.peer.client.close(1011, "could not keep up with the room");
      }
    }
  }
}
