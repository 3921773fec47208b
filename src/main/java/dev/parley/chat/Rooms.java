package dev.parley.chat;

import dev.parley.broker.Broker;
import dev.parley.broker.Presence;
import dev.parley.broker.Signal;
import dev.parley.store.MessageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this node has sockets in: joining them (with a snapshot that lines up with the
 * live stream), leaving them, presence, and the live stream itself, put in id order (gaps
 * filled from the store) and fanned out. Confined to the hub's thread, like the hub.
 */
final class Rooms {
  private static final Logger log = LoggerFactory.getLogger(Rooms.class);
  static final long GAP_WAIT_MILLIS = 1000;
  static final int JOIN_MESSAGES = 50;
  static final int MAX_RECOVERY = 500;
  /** How many missing messages one store read fills; a longer gap takes several. */
  static final int GAP_PAGE = 10_000;

  private final MessageStore store;
  private final Broker broker;
  private final Presence presence;
  private final Scheduler scheduler;
  private final Executor hubThread;
  private final long leaveGraceMillis;
  /** Called when a socket's join is answered, so that its held commands go on. */
  private final Consumer<Peer> resume;
  private final Map<String, Room> rooms = new HashMap<>();
  private final List<Exit> unrecordedExits = new ArrayList<>();
  private final List<CompletableFuture<Void>> presenceSettled = new ArrayList<>();
  private int presenceWork;

  Rooms(MessageStore store, Broker broker, Presence presence, Scheduler scheduler, Executor hubThread,
      long leaveGraceMillis, Consumer<Peer> resume) {
    this.store = store;
    this.broker = broker;
    this.presence = presence;
    this.scheduler = scheduler;
    this.hubThread = hubThread;
    this.leaveGraceMillis = leaveGraceMillis;
    this.resume = resume;
  }

  /** The room, if this node has anyone in it. */
  Room get(String name) {
    return rooms.get(name);
  }

  Iterable<Room> all() {
    return rooms.values();
  }

  /**
   * Puts a socket in a room (a checked join) and answers it with a {@code joined} once the
   * snapshot is loaded; the socket's later commands wait until then.
   */
  void join(Peer peer, Command.Join join) {
    Room room = rooms.get(join.room());
    boolean fresh = room == null;
    if (fresh) {
      room = new Room(join.room());
      rooms.put(room.name, room);
    }
    Subscription subscription = peer.rooms.get(join.room());
    if (subscription == null) {
      subscription = new Subscription(peer);
      peer.rooms.put(join.room(), subscription);
      subscribe(room, peer, subscription);
    }
    subscription.snapshotRequested();
    peer.busy = true;
    if (room.loaded) {
      snapshot(room, subscription, join);
    } else {
      room.pendingJoins.add(new Room.PendingJoin(subscription, join));
    }
    if (fresh) {
      open(room);
    }
  }

  /** Learns the room's last id, subscribed first so that nothing published meanwhile is missed. */
  private void open(Room room) {
    String name = room.name;
    CompletableFuture<Map<String, String>> members = new CompletableFuture<>();
    store.createRoom(name)
        .thenCompose(created -> broker.subscribe(name))
        .thenCompose(subscribed -> presence.members(name))
        .thenCompose(found -> {
          members.complete(found);
          return store.lastId(name);
        })
        .whenCompleteAsync((lastId, failure) -> {
          if (rooms.get(name) != room) {
            return;
          }
          if (failure != null) {
            log.warn("Could not open room {}: {}", name, failure.toString());
            rooms.remove(name);
            broker.unsubscribe(name);
            for (Subscription s : room.subscriptions.values()) {
              s.peer.rooms.remove(name);
            }
            for (Room.PendingJoin pending : room.pendingJoins) {
              Peer peer = pending.subscription().peer;
              peer.commands.refund();
              peer.client.send(Event.Failure.of(pending.join().ref(), Refusal.of(ErrorCode.UNAVAILABLE)));
              resume.accept(peer);
            }
            return;
          }
          room.loaded = true;
          room.lastDelivered = lastId;
          // Signals that arrived while loading are newer than the snapshot: they win.
          members.join().forEach(room.cluster::putIfAbsent);
          room.drain();
          List<Room.PendingJoin> waiting = List.copyOf(room.pendingJoins);
          room.pendingJoins.clear();
          waiting.forEach(pending -> snapshot(room, pending.subscription(), pending.join()));
          if (!room.early.isEmpty()) {
            scheduleGapFill(room);
          }
          closeIfIdle(room);
        }, hubThread);
  }

  private void subscribe(Room room, Peer peer, Subscription subscription) {
    room.subscriptions.put(peer, subscription);
    User user = peer.user;
    room.members.merge(user, 1, Integer::sum);
    Runnable pendingLeave = room.leaving.remove(user);
    if (pendingLeave != null) {
      pendingLeave.run(); // cancels it: the user never appeared to leave
    }
  }

  /** Sends an event to every socket in the room except those of the user it is about. */
  private void announce(Room room, String userKey, Event event) {
    for (Subscription s : room.subscriptions.values()) {
      if (!s.peer.user.key.equals(userKey) && !s.peer.client.plainText()) {
        s.peer.client.send(event);
      }
    }
  }

  /**
   * A signal from some node (this one included) about a room this node has open: presence
   * and typing are shown to the room's sockets here, except the user's own.
   */
  void onSignal(Signal signal) {
    Room room = rooms.get(signal.room());
    if (room == null) {
      return;
    }
    switch (signal.kind()) {
      case JOIN -> {
        // A repeated arrival (a node restoring its members after a broker outage) is no news.
        if (room.cluster.put(signal.user(), signal.name()) == null) {
          announce(room, signal.user(), new Event.Presence(room.name, signal.name(), true));
        }
      }
      case LEAVE -> {
        if (room.cluster.remove(signal.user()) != null) {
          announce(room, signal.user(), new Event.Presence(room.name, signal.name(), false));
        }
      }
      case TYPING -> announce(room, signal.user(), new Event.Typing(room.name, signal.name()));
      default -> { }
    }
  }

  /** Tells every node (this one too) that {@code user} is typing in {@code room}. */
  void typing(Room room, User user) {
    signal(Signal.typing(room.name, user.key, user.name));
  }

  private void signal(Signal signal) {
    broker.signal(signal).whenComplete((ok, failure) -> {
      if (failure != null) {
        log.debug("Could not send a {} signal: {}", signal.kind(), failure.toString());
      }
    });
  }

  private void snapshot(Room room, Subscription sub, Command.Join join) {
    long lastId = room.lastDelivered;
    Long since = join.since();
    if (sub.peer.client.plainText()) {
      snapshotReady(room, sub, join, lastId, List.of(), null, null);
      return;
    }
    if (since != null && since <= lastId && lastId - since <= MAX_RECOVERY) {
      store.range(room.name, since, lastId, MAX_RECOVERY).whenCompleteAsync(
          (messages, failure) -> snapshotReady(room, sub, join, lastId, messages, true, failure), hubThread);
    } else {
      store.before(room.name, lastId + 1, JOIN_MESSAGES).whenCompleteAsync(
          (page, failure) -> snapshotReady(room, sub, join, lastId, page == null ? null : page.messages(),
              since == null ? null : false, failure), hubThread);
    }
  }

  private void snapshotReady(Room room, Subscription sub, Command.Join join, long lastId, List<Message> messages,
      Boolean recovered, Throwable failure) {
    if (sub.peer.closed) {
      return;
    }
    if (sub.peer.rooms.get(room.name) == sub) {
      answerJoin(room, sub, join, lastId, messages, recovered, failure);
    }
    resume.accept(sub.peer);
  }

  private void answerJoin(Room room, Subscription sub, Command.Join join, long lastId, List<Message> messages,
      Boolean recovered, Throwable failure) {
    if (failure != null) {
      log.warn("Could not load the join snapshot of room {}: {}", room.name, failure.toString());
      sub.peer.commands.refund();
      sub.peer.client.send(Event.Failure.of(join.ref(), Refusal.of(ErrorCode.UNAVAILABLE)));
      if (!sub.snapshotFailed()) {
        unsubscribe(sub.peer, room.name, false);
      }
      return;
    }
    User user = sub.peer.user;
    // A plain-text socket never shows its join: sorting the whole member list for each of them
    // made a room of n /chat sockets cost n² log n to fill.
    List<String> members = sub.peer.client.plainText() ? List.of() : room.memberNamesWith(user);
    sub.snapshotLoaded(new Event.Joined(join.ref(), room.name, members, lastId, messages, recovered));
    if (room.announced.add(user)) {
      // Entered only once the join succeeded, so a failed join is never seen by the room.
      presence.enter(room.name, user.key, user.name).whenCompleteAsync((first, lost) -> {
        if (lost != null) {
          log.warn("Could not record {} in room {}: {}", user.name, room.name, lost.toString());
        } else if (first) {
          signal(Signal.join(room.name, user.key, user.name));
        }
      }, hubThread);
    }
  }

  /**
   * Takes a socket out of a room. When it was its user's last socket there, the user leaves
   * the member list: at once, or after a grace period when the socket merely disconnected,
   * so that a reloading tab does not flicker out and back in.
   */
  void unsubscribe(Peer peer, String roomName, boolean graceful) {
    peer.rooms.remove(roomName);
    Room room = rooms.get(roomName);
    if (room == null || room.subscriptions.remove(peer) == null) {
      return;
    }
    User user = peer.user;
    int sockets = room.members.get(user) - 1;
    room.members.put(user, sockets);
    if (sockets == 0) {
      if (graceful && leaveGraceMillis > 0) {
        Runnable timer = scheduler.schedule(leaveGraceMillis, () -> {
          room.leaving.remove(user);
          memberLeft(room, user);
        });
        room.leaving.put(user, timer);
      } else {
        memberLeft(room, user);
      }
    }
  }

  private void memberLeft(Room room, User user) {
    if (room.members.getOrDefault(user, 0) != 0) {
      return;
    }
    room.members.remove(user);
    if (room.announced.remove(user)) {
      exit(new Exit(room.name, user.key, user.name));
    }
    closeIfIdle(room);
  }

  /** A user's departure from a room, until the cluster has recorded it. */
  private record Exit(String room, String user, String name) {}

  /**
   * Records that this node's last socket of a user left a room, and announces the departure
   * when it was the user's last socket on any node. When the record fails (the broker is
   * down), this node's sockets are told at once, and the departure is retried at each resync
   * until the cluster has it: nobody is left listed who is gone.
   */
  private void exit(Exit exit) {
    presenceWork++;
    presence.exit(exit.room(), exit.user()).whenCompleteAsync((last, failure) -> {
      presenceDone();
      if (failure == null) {
        if (last) {
          signal(Signal.leave(exit.room(), exit.user(), exit.name()));
        }
        return;
      }
      log.warn("Could not record that {} left room {} ({}); retrying when the broker is back", exit.name(),
          exit.room(), failure.toString());
      unrecordedExits.add(exit);
      onSignal(Signal.leave(exit.room(), exit.user(), exit.name()));
    }, hubThread);
  }

  /** Retries the departures the cluster has not recorded: announced once the user is in the room on no node. */
  private void retryExits() {
    for (Exit exit : List.copyOf(unrecordedExits)) {
      presence.members(exit.room()).whenCompleteAsync((members, failure) -> {
        if (failure != null || !unrecordedExits.remove(exit)) {
          return;
        }
        Room room = rooms.get(exit.room());
        boolean backHere = room != null && room.members.keySet().stream().anyMatch(u -> u.key.equals(exit.user()));
        if (backHere) {
          return;
        }
        if (members.containsKey(exit.user())) {
          exit(exit); // still listed: record it now
        } else {
          signal(Signal.leave(exit.room(), exit.user(), exit.name()));
        }
      }, hubThread);
    }
  }

  /**
   * Brings each open room's view of its members in line with the cluster's record, and tells
   * this node's sockets what changed. Signals can be lost (a broker outage, a record that
   * failed); this is what makes such a loss heal: no ghost stays listed, nobody stays hidden.
   */
  private void reconcileMembers() {
    for (Room room : List.copyOf(rooms.values())) {
      if (!room.loaded) {
        continue;
      }
      presence.members(room.name).whenCompleteAsync((recorded, failure) -> {
        if (failure != null || rooms.get(room.name) != room) {
          return;
        }
        // A snapshot may be older than the signals already applied (a node re-registering after
        // an outage), so a difference counts only when two snapshots in a row agree on it.
        Set<String> missing = new HashSet<>();
        for (Map.Entry<String, String> listed : Map.copyOf(room.cluster).entrySet()) {
          boolean here = room.members.keySet().stream().anyMatch(u -> u.key.equals(listed.getKey()));
          if (!recorded.containsKey(listed.getKey()) && !here) {
            missing.add(listed.getKey());
            if (room.missingOnce.contains(listed.getKey())) {
              onSignal(Signal.leave(room.name, listed.getKey(), listed.getValue()));
            }
          }
        }
        Set<String> unlisted = new HashSet<>();
        recorded.forEach((user, name) -> {
          if (!room.cluster.containsKey(user)) {
            unlisted.add(user);
            if (room.unlistedOnce.contains(user)) {
              onSignal(Signal.join(room.name, user, name));
            }
          }
        });
        room.missingOnce = missing;
        room.unlistedOnce = unlisted;
      }, hubThread);
    }
  }

  private void presenceDone() {
    if (--presenceWork == 0 && !presenceSettled.isEmpty()) {
      List<CompletableFuture<Void>> waiting = List.copyOf(presenceSettled);
      presenceSettled.clear();
      waiting.forEach(f -> f.complete(null));
    }
  }

  /** Completes once every presence record started so far has been answered. */
  CompletableFuture<Void> presenceSettled() {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    if (presenceWork == 0) {
      settled.complete(null);
    } else {
      presenceSettled.add(settled);
    }
    return settled;
  }

  private void closeIfIdle(Room room) {
    if (room.idle() && rooms.get(room.name) == room) {
      rooms.remove(room.name);
      if (room.gapTimer != null) {
        room.gapTimer.run();
      }
      broker.unsubscribe(room.name);
    }
  }

  void onBrokerMessage(Message m) {
    Room room = rooms.get(m.room());
    if (room != null && room.accept(m)) {
      scheduleGapFill(room);
    }
  }

  /** Gives a missing id a moment to arrive, then reads it from the store; a room that cannot be filled is closed. */
  private void scheduleGapFill(Room room) {
    if (room.gapTimer != null) {
      return;
    }
    room.gapTimer = scheduler.schedule(GAP_WAIT_MILLIS, () -> {
      room.gapTimer = null;
      if (room.early.isEmpty() || rooms.get(room.name) != room) {
        return;
      }
      readGap(room, room.early.firstKey() - 1);
    });
  }

  /** Reads the missing ids up to {@code upTo} from the store, a page at a time. */
  private void readGap(Room room, long upTo) {
    store.range(room.name, room.lastDelivered, upTo, (int) Math.min(GAP_PAGE, upTo - room.lastDelivered))
        .whenCompleteAsync((missing, failure) -> fillGap(room, upTo, missing, failure), hubThread);
  }

  private void fillGap(Room room, long upTo, List<Message> missing, Throwable failure) {
    long before = room.lastDelivered;
    if (failure == null) {
      missing.forEach(m -> room.early.putIfAbsent(m.id(), m));
      room.drain();
    }
    if (room.lastDelivered >= upTo) {
      if (!room.early.isEmpty()) {
        scheduleGapFill(room);
      }
      return;
    }
    if (failure == null && room.lastDelivered > before && rooms.get(room.name) == room) {
      readGap(room, upTo); // a long gap: the next page
      return;
    }
    log.error("Room {} is missing messages {} to {} and the store cannot supply them; closing its sockets",
        room.name, room.lastDelivered + 1, upTo);
    for (Subscription s : List.copyOf(room.subscriptions.values())) {
      s.peer.client.close(1011, "could not deliver every message of " + room.name);
    }
  }


  /**
   * Compares every open room with the store and fills what the broker did not bring: a
   * publish lost with no later message to reveal the gap, or a broker outage. Cheap: one
   * last-id read per open room.
   */
  void resync() {
    retryExits();
    reconcileMembers();
    for (Room room : List.copyOf(rooms.values())) {
      if (!room.loaded) {
        continue;
      }
      store.lastId(room.name).whenCompleteAsync((lastId, failure) -> {
        if (failure != null || rooms.get(room.name) != room || lastId <= room.lastDelivered) {
          return;
        }
        store.range(room.name, room.lastDelivered, lastId, 10_000).whenCompleteAsync((missing, lost) -> {
          if (lost == null && rooms.get(room.name) == room) {
            missing.forEach(m -> room.early.putIfAbsent(m.id(), m));
            room.drain();
            if (!room.early.isEmpty()) {
              scheduleGapFill(room);
            }
          }
        }, hubThread);
      }, hubThread);
    }
  }
}
