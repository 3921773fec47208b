package dev.parley.chat;

import dev.parley.broker.Broker;
import dev.parley.broker.NameLeases;
import dev.parley.broker.Presence;
import dev.parley.broker.Signal;
import dev.parley.store.MessageStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names: who holds which, renames, and telling everyone who shares a room with the renamed
 * user, on every node. A name is held locally by an online user here, cluster-wide through a
 * lease (connections without a session) or the store (sessions, for 7 days after their last
 * socket closes). Confined to the hub's thread.
 */
final class Naming {
  private static final Logger log = LoggerFactory.getLogger(Naming.class);
  /** How long a session's name stays reserved after its last socket closes. */
  static final long NAME_HOLD_MILLIS = 7L * 24 * 3600 * 1000;

  private final MessageStore store;
  private final Broker broker;
  private final Presence presence;
  private final NameLeases leases;
  private final Rooms rooms;
  private final Scheduler scheduler;
  private final Executor hubThread;
  /** This node's online users by identity key ({@code null} when not here). */
  private final Function<String, User> users;
  private final Predicate<User> online;
  private final Consumer<Peer> resume;
  /** Names held by users online here (or claimed while a rename is committing), by name key. */
  private final Map<String, User> names = new HashMap<>();
  /** Renames this node delivered itself, whose echo from the broker is to be skipped. */
  private final Set<String> ownRenames = new HashSet<>();

  Naming(MessageStore store, Broker broker, Presence presence, NameLeases leases, Rooms rooms, Scheduler scheduler,
      Executor hubThread, Function<String, User> users, Consumer<Peer> resume) {
    this.store = store;
    this.broker = broker;
    this.presence = presence;
    this.leases = leases;
    this.rooms = rooms;
    this.scheduler = scheduler;
    this.hubThread = hubThread;
    this.users = users;
    this.online = user -> users.apply(user.key) == user;
    this.resume = resume;
  }

  /** Whether a user online here holds the name. */
  boolean heldHere(String name) {
    return names.containsKey(UserNames.key(name));
  }

  /** A user came online here with its name. */
  void arrived(User user) {
    names.put(UserNames.key(user.name), user);
  }

  /** A user went offline here: its name is free here; a connection's lease is given back. */
  void departed(User user) {
    names.remove(UserNames.key(user.name), user);
    if (user.sid == null && UserNames.isChoosable(user.name)) {
      leases.release(UserNames.key(user.name), user.key);
    }
  }

  /** Claims a session's name in the store as seen {@code now}; completes with whether it is the session's. */
  CompletionStage<Boolean> claimForSession(String sid, String name, long now) {
    return store.claimName(sid, name, now, now - NAME_HOLD_MILLIS);
  }

  /** A checked {@code nick} (valid name, token taken): the rename, or why not. */
  void rename(Peer peer, Command.Nick nick) {
    String ref = nick.ref();
    String wanted = nick.name();
    User user = peer.user;
    String key = UserNames.key(wanted);
    User holder = names.get(key);
    if (holder != null && holder != user) {
      peer.commands.refund();
      peer.client.send(new Event.Failure(ref, ErrorCode.NAME_TAKEN, "the name " + wanted + " is in use"));
      return;
    }
    if (wanted.equals(user.name)) {
      peer.client.send(new Event.NickChanged(ref, user.name, wanted));
      return;
    }
    names.put(key, user); // reserved while the cluster and the store decide
    long now = scheduler.now();
    peer.busy = true;
    claim(user, wanted, key, now).whenCompleteAsync((free, failure) -> {
      renamed(peer, ref, wanted, key, free, failure);
      resume.accept(peer);
    }, hubThread);
  }

  /**
   * Claims a name cluster-wide. The lease blocks online connections without a session on any
   * node; the store blocks sessions, online or not (for 7 days). A session's name is kept by
   * the store, so it gives its lease back; a connection without a session keeps its lease.
   */
  private CompletionStage<Boolean> claim(User user, String wanted, String key, long now) {
    return leases.acquire(key, user.key).thenCompose(leased -> {
      if (!leased) {
        return CompletableFuture.completedFuture(false);
      }
      return store.claimName(user.sid, wanted, now, now - NAME_HOLD_MILLIS).handle((free, failure) -> {
        if (failure != null || !free || user.sid != null) {
          leases.release(key, user.key);
        }
        if (failure != null) {
          throw new CompletionException(failure);
        }
        return free;
      });
    });
  }

  private void renamed(Peer peer, String ref, String wanted, String key, Boolean free, Throwable failure) {
    User user = peer.user;
    if (!online.test(user)) {
      // The user went offline while the rename committed: the store has the new name for a
      // session, and nothing here may hold a name for a user who is gone.
      names.remove(key, user);
      if (user.sid == null) {
        leases.release(key, user.key);
      }
      return;
    }
    if (failure == null && free) {
      rename(user, wanted, peer, ref);
      return;
    }
    if (!UserNames.key(user.name).equals(key)) {
      names.remove(key, user);
    }
    peer.commands.refund();
    if (failure != null) {
      log.warn("Could not store a name change: {}", failure.toString());
      peer.client.send(Event.Failure.of(ref, Refusal.of(ErrorCode.UNAVAILABLE)));
    } else {
      peer.client.send(new Event.Failure(ref, ErrorCode.NAME_TAKEN, "the name " + wanted + " is in use"));
    }
  }


  private void rename(User user, String to, Peer asker, String ref) {
    String from = user.name;
    if (!UserNames.key(from).equals(UserNames.key(to))) {
      names.remove(UserNames.key(from), user);
      if (user.sid == null && UserNames.isChoosable(from)) {
        leases.release(UserNames.key(from), user.key);
      }
    }
    names.put(UserNames.key(to), user);
    user.name = to;
    presence.rename(user.key, to);
    announceRename(user.key, from, to, asker, ref);
    // Other nodes (its other tabs, its rooms' members there) learn it from the broker; this
    // node skips the echo, having told its own sockets already.
    Signal signal = Signal.rename(user.key, from, to);
    ownRenames.add(renameKey(signal));
    broker.signal(signal).whenComplete((ok, failure) -> {
      if (failure != null) {
        log.warn("Could not tell the other nodes that {} is now {}: {}", from, to, failure.toString());
        hubThread.execute(() -> ownRenames.remove(renameKey(signal)));
      }
    });
  }

  private static String renameKey(Signal rename) {
    return rename.user() + '\0' + rename.to();
  }

  /**
   * Tells this node's sockets of a rename: the user's own sockets, and every socket in a room
   * where the user is a member on any node. The asker's copy carries its ref.
   */
  private void announceRename(String userKey, String from, String to, Peer asker, String ref) {
    User local = users.apply(userKey);
    Set<Peer> audience = new LinkedHashSet<>(local == null ? Set.of() : local.peers);
    for (Room room : rooms.all()) {
      if (room.cluster.containsKey(userKey)) {
        room.cluster.put(userKey, to);
        audience.addAll(room.subscriptions.keySet());
      }
    }
    Event.NickChanged shared = new Event.NickChanged(null, from, to);
    for (Peer p : audience) {
      if (p == asker) {
        p.client.send(new Event.NickChanged(ref, from, to));
      } else if (!p.client.plainText()) {
        p.client.send(shared);
      }
    }
  }

  /** A rename from some node, this one included: this node's sockets hear of it unless they already did. */
  void onRename(Signal signal) {
    if (ownRenames.remove(renameKey(signal))) {
      return;
    }
    User local = users.apply(signal.user());
    if (local != null) {
      // Another tab of this user, on another node, renamed it.
      names.remove(UserNames.key(local.name), local);
      names.put(UserNames.key(signal.to()), local);
      local.name = signal.to();
    }
    announceRename(signal.user(), signal.name(), signal.to(), null, null);
  }
}
