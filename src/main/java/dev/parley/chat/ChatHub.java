package dev.parley.chat;

import dev.parley.broker.Broker;
import dev.parley.broker.InProcessNameLeases;
import dev.parley.broker.InProcessPresence;
import dev.parley.broker.NameLeases;
import dev.parley.broker.Presence;
import dev.parley.broker.Signal;
import dev.parley.store.MessageStore;
import dev.parley.store.NewMessage;
import dev.parley.store.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat: users, their names, their sockets, rooms, and the rules between them.
 *
 * <p><b>Threading.</b> The hub is confined to one thread, the one {@code hubThread} runs tasks
 * on: every public method must be called there, store and broker results are brought back
 * there, and {@link Client} methods are called there. So no state here needs a lock.
 *
 * <p><b>Delivery.</b> A send is committed to the store first; only then is the sender
 * acknowledged and the message published. Messages come back from the broker per room, are
 * put in id order (a gap is filled from the store), and fanned out to the room's sockets.
 */
public final class ChatHub {
  private static final Logger log = LoggerFactory.getLogger(ChatHub.class);
  /** A session unused for this long is forgotten. */
  static final long SESSION_EXPIRY_MILLIS = 30L * 24 * 3600 * 1000;
  /** How often online sessions are recorded as seen; far below {@link Naming#NAME_HOLD_MILLIS}. */
  static final long SESSION_TOUCH_MILLIS = 3600L * 1000;
  /** How often open rooms are compared with the store, for messages the broker lost. */
  static final long RESYNC_MILLIS = 10_000;
  static final long TYPING_INTERVAL_NANOS = 3_000_000_000L;
  static final int DEFAULT_HISTORY = 50;
  static final int MAX_HISTORY = 100;

  private final MessageStore store;
  private final Broker broker;
  private final Presence presence;
  private final NameLeases leases;
  private final Limits limits;
  private final TextRules textRules;
  private final Scheduler scheduler;
  private final Executor hubThread;
  private final long leaveGraceMillis;

  private final Map<Client, Peer> peers = new IdentityHashMap<>();
  private final Map<Client, List<Command>> connecting = new IdentityHashMap<>();
  /** Online users by identity key. */
  private final Map<String, User> users = new HashMap<>();
  /** Users being loaded from the store, with the clients waiting for them. */
  private final Map<String, List<Client>> loadingUsers = new HashMap<>();
  private final Rooms rooms;
  private final Naming naming;
  /** Sends by (sender, room, cid), so a retry gets the first one's outcome, also after a reconnect. */
  private final RecentSends recentSends = new RecentSends(100_000);
  private int sendsInFlight;
  /** An overloaded or absent broker fails every publish; one line every few seconds says so. */
  private final ThrottledWarning publishFailures = new ThrottledWarning(log, 5_000);
  private boolean shuttingDown;
  private final List<CompletableFuture<Void>> drained = new ArrayList<>();

  /** A hub of a single node: presence and name leases in process. */
  public ChatHub(MessageStore store, Broker broker, Limits limits, Scheduler scheduler, Executor hubThread,
      long leaveGraceMillis) {
    this(store, broker, new InProcessPresence(), new InProcessNameLeases(), limits, scheduler, hubThread,
        leaveGraceMillis);
  }

  public ChatHub(MessageStore store, Broker broker, Presence presence, NameLeases leases, Limits limits,
      Scheduler scheduler, Executor hubThread, long leaveGraceMillis) {
    this.store = store;
    this.broker = broker;
    this.presence = presence;
    this.leases = leases;
    this.limits = limits;
    this.textRules = new TextRules(limits.maxText());
    this.scheduler = scheduler;
    this.hubThread = hubThread;
    this.leaveGraceMillis = leaveGraceMillis;
    this.rooms = new Rooms(store, broker, presence, scheduler, hubThread, leaveGraceMillis, this::resume);
    broker.start(m -> hubThread.execute(() -> rooms.onBrokerMessage(m)));
    this.naming = new Naming(store, broker, presence, leases, rooms, scheduler, hubThread, users::get, this::resume);
    broker.onSignal(signal -> hubThread.execute(() -> {
      if (signal.kind() == Signal.Kind.RENAME) {
        naming.onRename(signal);
      } else {
        rooms.onSignal(signal);
      }
    }));
    // Departures of a dead node's users, and returns after an outage, are announced like any other.
    presence.onExpired(broker::signal);
    presence.onRestored(broker::signal);
    broker.onResubscribed(() -> hubThread.execute(rooms::resync));
    scheduler.schedule(SESSION_TOUCH_MILLIS, this::touchOnlineSessions);
    scheduler.schedule(RESYNC_MILLIS, this::resync);
  }

  /** Catches up every open room with the store, now and then, for publishes the broker lost. */
  private void resync() {
    rooms.resync();
    scheduler.schedule(RESYNC_MILLIS, this::resync);
  }

  /**
   * Records every online session as seen, so that its name stays held in the store (which other
   * nodes consult) however long its sockets stay open.
   */
  private void touchOnlineSessions() {
    long now = scheduler.now();
    for (User user : users.values()) {
      if (user.sid != null && user.online()) {
        store.touchSession(user.sid, now);
      }
    }
    scheduler.schedule(SESSION_TOUCH_MILLIS, this::touchOnlineSessions);
  }

  // ---------------------------------------------------------------- connections

  /**
   * A connection opened. {@code sid} is its verified session id, or {@code null}. The client
   * gets {@link Event.Hello} once its user is known; commands sent before then wait.
   */
  public void connect(Client client, String sid) {
    connecting.put(client, new ArrayList<>());
    String key = sid != null ? "s:" + sid : connectionKey();
    User online = users.get(key);
    if (online != null) {
      attach(client, online);
      return;
    }
    List<Client> waiting = loadingUsers.get(key);
    if (waiting != null) {
      waiting.add(client);
      return;
    }
    loadingUsers.put(key, new ArrayList<>(List.of(client)));
    loadUser(key, sid).whenCompleteAsync((user, failure) -> {
      List<Client> clients = loadingUsers.remove(key);
      if (failure != null) {
        log.warn("Could not load the user of a new connection: {}", failure.toString());
        clients.forEach(c -> {
          connecting.remove(c);
          c.close(1011, "the store is unavailable");
        });
        return;
      }
      users.put(user.key, user);
      naming.arrived(user);
      clients.forEach(c -> attach(c, user));
      if (!user.online()) {
        forget(user);
      }
    }, hubThread);
  }

  /**
   * The identity of a connection without a session: random, because it scopes {@code cid}s in
   * a store that outlives this process and is shared with other nodes.
   */
  private static String connectionKey() {
    return "c:" + UUID.randomUUID();
  }

  private CompletionStage<User> loadUser(String key, String sid) {
    long now = scheduler.now();
    if (sid == null) {
      return guest(key, null);
    }
    return store.session(sid).thenComposeAsync(found -> {
      Optional<String> name = found.filter(s -> s.lastSeen() >= now - SESSION_EXPIRY_MILLIS).map(s -> s.name());
      if (found.isPresent() && name.isEmpty()) {
        // An expired session is never adopted: this connection is a guest of its own.
        return guest(connectionKey(), null);
      }
      if (name.isPresent() && !naming.heldHere(name.get())) {
        return naming.claimForSession(sid, name.get(), now).thenComposeAsync(free -> free
            ? CompletableFuture.completedFuture(new User(key, sid, name.get()))
            : guest(key, sid), hubThread);
      }
      return guest(key, sid);
    }, hubThread);
  }

  /** A new guest; a session keeps the guest name it is given. */
  private CompletionStage<User> guest(String key, String sid) {
    long now = scheduler.now();
    return store.nextGuestNumber().thenComposeAsync(n -> {
      String name = UserNames.guest(n);
      User user = new User(key, sid, name);
      return sid == null
          ? CompletableFuture.completedFuture(user)
          : naming.claimForSession(sid, name, now).thenApply(ok -> user);
    }, hubThread);
  }

  private void attach(Client client, User user) {
    List<Command> early = connecting.remove(client);
    if (early == null) {
      return; // closed while its user was loading
    }
    if (user.release != null) {
      user.release.run();
      user.release = null;
    }
    Peer peer = new Peer(client, user, limits, scheduler.nanoTime());
    peers.put(client, peer);
    user.peers.add(peer);
    client.send(new Event.Hello(user.name));
    if (client.plainText()) {
      join(peer, new Command.Join(null, RoomNames.GENERAL, null));
    }
    early.forEach(command -> handle(client, command));
    checkSettled();
  }

  /** A connection closed, for whatever reason. */
  public void disconnect(Client client) {
    if (connecting.remove(client) != null) {
      checkSettled();
      return;
    }
    Peer peer = peers.remove(client);
    if (peer == null) {
      return;
    }
    peer.closed = true;
    checkSettled(); // its held sends, if any, went with it
    for (String room : List.copyOf(peer.rooms.keySet())) {
      rooms.unsubscribe(peer, room, peer.user.sid != null && !shuttingDown);
    }
    User user = peer.user;
    user.peers.remove(peer);
    if (!user.online()) {
      if (user.sid != null && leaveGraceMillis > 0 && !shuttingDown) {
        // Kept as long as its presence lingers, so a reconnecting tab is the same member.
        user.release = scheduler.schedule(leaveGraceMillis, () -> {
          user.release = null;
          if (!user.online()) {
            forget(user);
          }
        });
      } else {
        forget(user);
      }
    }
  }

  /** Drops an offline user from memory; a session's name stays reserved through the store. */
  private void forget(User user) {
    users.remove(user.key);
    naming.departed(user);
    if (user.sid != null) {
      store.touchSession(user.sid, scheduler.now());
    }
  }

  // ---------------------------------------------------------------- commands

  /** Handles one command of a connection; every reply goes to its client. */
  public void handle(Client client, Command command) {
    List<Command> early = connecting.get(client);
    if (early != null) {
      early.add(command);
      return;
    }
    Peer peer = peers.get(client);
    if (peer == null) {
      return;
    }
    if (peer.busy) {
      peer.held.add(command);
      return;
    }
    dispatch(peer, command);
  }

  private void dispatch(Peer peer, Command command) {
    if (command instanceof Command.Send send) {
      send(peer, send);
    } else if (command instanceof Command.Join join) {
      join(peer, join);
    } else if (command instanceof Command.Leave leave) {
      leave(peer, leave);
    } else if (command instanceof Command.Typing typing) {
      typing(peer, typing);
    } else if (command instanceof Command.Nick nick) {
      nick(peer, nick);
    } else if (command instanceof Command.History history) {
      history(peer, history);
    } else if (command instanceof Command.Who who) {
      who(peer, who);
    }
  }

  private void refuse(Peer peer, String ref, ErrorCode code) {
    peer.client.send(Event.Failure.of(ref, Refusal.of(code)));
  }

  private boolean commandToken(Peer peer, String ref) {
    if (!peer.commands.hasToken(scheduler.nanoTime())) {
      refuse(peer, ref, ErrorCode.RATE_LIMITED);
      return false;
    }
    peer.commands.take(scheduler.nanoTime());
    return true;
  }

  private void send(Peer peer, Command.Send send) {
    String ref = send.ref();
    if (!TextRules.isWellFormed(send.text())) {
      peer.client.send(new Event.Failure(ref, ErrorCode.BAD_REQUEST,
          "the text has a control character or an unpaired surrogate"));
      return;
    }
    if (!RoomNames.isValid(send.room())) {
      refuse(peer, ref, ErrorCode.INVALID_ROOM);
      return;
    }
    if (!peer.rooms.containsKey(send.room())) {
      refuse(peer, ref, ErrorCode.NOT_JOINED);
      return;
    }
    Optional<Refusal> textProblem = textRules.check(send.text());
    if (textProblem.isPresent()) {
      peer.client.send(Event.Failure.of(ref, textProblem.get()));
      return;
    }
    User user = peer.user;
    String cidKey = send.cid() == null ? null : RecentSends.key(user.key, send.room(), send.cid());
    CompletableFuture<RecentSends.Acked> earlier = cidKey == null ? null : recentSends.get(cidKey);
    if (earlier != null) {
      earlier.whenCompleteAsync((m, failure) -> acknowledge(peer, ref, m, failure), hubThread);
      return;
    }
    long now = scheduler.nanoTime();
    if (!peer.sends.hasToken(now)) {
      refuse(peer, ref, ErrorCode.RATE_LIMITED);
      return;
    }
    peer.sends.take(now);
    // Receivers hide the typing line when the message arrives; typing the next one is news again.
    user.lastTyping.remove(send.room());
    CompletableFuture<RecentSends.Acked> outcome = new CompletableFuture<>();
    if (cidKey != null) {
      recentSends.put(cidKey, outcome);
    }
    NewMessage message = new NewMessage(send.room(), user.key, send.cid(), user.name, send.text(), scheduler.now());
    sendsInFlight++;
    store.append(message).whenCompleteAsync((appended, failure) -> {
      if (failure != null) {
        sendFinished();
        log.warn("Could not store a message for room {}: {}", send.room(), failure.toString());
        forgetSend(cidKey, outcome, failure);
        peer.sends.refund();
        acknowledge(peer, ref, null, failure);
        return;
      }
      Message committed = appended.message();
      // The sender's own socket sees its ack before the message, whichever reaches it first.
      Subscription own = peer.rooms.get(send.room());
      if (own != null) {
        own.awaitAck(committed.id());
      }
      // A duplicate is published again: its first attempt may have committed without being
      // published (its outcome was unknown), and receivers drop ids they already delivered.
      broker.publish(committed).whenCompleteAsync((ok, lost) -> {
        sendFinished();
        if (lost != null) {
          // Committed but not fanned out: the room fills the gap from the store; the sender
          // hears `unavailable`, and a retry with the same cid publishes it again.
          publishFailures.report(scheduler.now(), "Could not publish message " + committed.id() + " of room "
              + send.room() + ": " + lost);
          forgetSend(cidKey, outcome, lost);
          acknowledge(peer, ref, null, lost);
        } else {
          RecentSends.Acked acked = RecentSends.Acked.of(committed);
          outcome.complete(acked);
          acknowledge(peer, ref, acked, null);
        }
        if (own != null) {
          own.ackSent(committed.id());
        }
      }, hubThread);
    }, hubThread);
  }

  private void forgetSend(String cidKey, CompletableFuture<RecentSends.Acked> outcome, Throwable failure) {
    if (cidKey != null) {
      recentSends.remove(cidKey, outcome);
    }
    outcome.completeExceptionally(failure);
  }

  private void sendFinished() {
    sendsInFlight--;
    checkSettled();
  }

  /**
   * Completes once every send received so far has been answered (acknowledged or refused),
   * those still waiting behind their socket's join or rename included, for a shutdown that loses
   * nothing it received.
   */
  public CompletionStage<Void> sendsSettled() {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    drained.add(settled);
    checkSettled();
    return settled;
  }

  private void checkSettled() {
    if (drained.isEmpty() || sendsInFlight > 0 || sendsWaiting()) {
      return;
    }
    List<CompletableFuture<Void>> waiting = List.copyOf(drained);
    drained.clear();
    waiting.forEach(f -> f.complete(null));
  }

  /** Whether a socket holds a send it has not dispatched yet (only asked while shutting down). */
  private boolean sendsWaiting() {
    for (Peer peer : peers.values()) {
      if (!peer.closed && peer.held.stream().anyMatch(Command.Send.class::isInstance)) {
        return true;
      }
    }
    return connecting.values().stream().anyMatch(early -> early.stream().anyMatch(Command.Send.class::isInstance));
  }

  /**
   * From now on, sockets that close leave their rooms at once (no grace): the node is going
   * away, and the cluster should hear of its users' departures before it does.
   */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** Completes once every presence record started so far (arrivals, departures) has been answered. */
  public CompletionStage<Void> presenceSettled() {
    return rooms.presenceSettled();
  }

  private void acknowledge(Peer peer, String ref, RecentSends.Acked m, Throwable failure) {
    if (peer.closed) {
      return;
    }
    if (failure != null) {
      refuse(peer, ref, ErrorCode.UNAVAILABLE);
    } else {
      peer.client.send(new Event.Ack(ref, m.room(), m.id(), m.ts()));
    }
  }

  private void join(Peer peer, Command.Join join) {
    String ref = join.ref();
    if (join.since() != null && join.since() < 0) {
      peer.client.send(new Event.Failure(ref, ErrorCode.BAD_REQUEST, "since must be 0 or more"));
      return;
    }
    if (!RoomNames.isValid(join.room())) {
      refuse(peer, ref, ErrorCode.INVALID_ROOM);
      return;
    }
    boolean rejoin = peer.rooms.containsKey(join.room());
    if (!rejoin && peer.rooms.size() >= limits.maxRooms()) {
      peer.client.send(new Event.Failure(ref, ErrorCode.TOO_MANY_ROOMS,
          "a connection may join at most " + limits.maxRooms() + " rooms"));
      return;
    }
    if (!peer.client.plainText() && !commandToken(peer, ref)) {
      return;
    }
    rooms.join(peer, join);
  }

  private void leave(Peer peer, Command.Leave leave) {
    String ref = leave.ref();
    if (!RoomNames.isValid(leave.room())) {
      refuse(peer, ref, ErrorCode.INVALID_ROOM);
      return;
    }
    if (!peer.rooms.containsKey(leave.room())) {
      refuse(peer, ref, ErrorCode.NOT_JOINED);
      return;
    }
    if (!commandToken(peer, ref)) {
      return;
    }
    rooms.unsubscribe(peer, leave.room(), false);
    peer.client.send(new Event.Left(ref, leave.room()));
  }

  private void typing(Peer peer, Command.Typing typing) {
    if (!RoomNames.isValid(typing.room())) {
      refuse(peer, typing.ref(), ErrorCode.INVALID_ROOM);
      return;
    }
    if (!peer.rooms.containsKey(typing.room())) {
      refuse(peer, typing.ref(), ErrorCode.NOT_JOINED);
      return;
    }
    long now = scheduler.nanoTime();
    if (!peer.commands.hasToken(now)) {
      return; // an over-limit typing is dropped silently
    }
    peer.commands.take(now);
    User user = peer.user;
    Long last = user.lastTyping.get(typing.room());
    if (last != null && now - last < TYPING_INTERVAL_NANOS) {
      return;
    }
    user.lastTyping.put(typing.room(), now);
    Room room = rooms.get(typing.room());
    if (room != null) {
      rooms.typing(room, user);
    }
  }

  private void nick(Peer peer, Command.Nick nick) {
    if (!UserNames.isChoosable(nick.name())) {
      refuse(peer, nick.ref(), ErrorCode.INVALID_NAME);
      return;
    }
    if (!commandToken(peer, nick.ref())) {
      return;
    }
    naming.rename(peer, nick);
  }

  /** The socket's pending join or rename is answered: its held commands go on, in order. */
  private void resume(Peer peer) {
    peer.busy = false;
    while (!peer.held.isEmpty() && !peer.busy && !peer.closed) {
      dispatch(peer, peer.held.poll());
    }
    checkSettled();
  }

  private void history(Peer peer, Command.History history) {
    String ref = history.ref();
    Integer limit = history.limit();
    if (limit != null && (limit < 1 || limit > MAX_HISTORY)) {
      peer.client.send(new Event.Failure(ref, ErrorCode.BAD_REQUEST, "limit must be from 1 to " + MAX_HISTORY));
      return;
    }
    if (history.before() != null && history.before() < 1) {
      peer.client.send(new Event.Failure(ref, ErrorCode.BAD_REQUEST, "before must be 1 or more"));
      return;
    }
    if (!RoomNames.isValid(history.room())) {
      refuse(peer, ref, ErrorCode.INVALID_ROOM);
      return;
    }
    if (!commandToken(peer, ref)) {
      return;
    }
    long before = history.before() == null ? Long.MAX_VALUE : history.before();
    int count = limit == null ? DEFAULT_HISTORY : limit;
    store.before(history.room(), before, count).whenCompleteAsync((Page page, Throwable failure) -> {
      if (peer.closed) {
        return;
      }
      if (failure != null) {
        log.warn("Could not read the history of room {}: {}", history.room(), failure.toString());
        peer.commands.refund();
        refuse(peer, ref, ErrorCode.UNAVAILABLE);
        return;
      }
      peer.client.send(new Event.History(ref, history.room(), page.messages(), page.more()));
    }, hubThread);
  }

  private void who(Peer peer, Command.Who who) {
    if (!RoomNames.isValid(who.room())) {
      refuse(peer, who.ref(), ErrorCode.INVALID_ROOM);
      return;
    }
    if (!commandToken(peer, who.ref())) {
      return;
    }
    Room room = rooms.get(who.room());
    if (room != null && room.loaded) {
      peer.client.send(new Event.Members(who.ref(), who.room(), room.memberNames()));
      return;
    }
    presence.members(who.room()).whenCompleteAsync((members, failure) -> {
      if (failure != null) {
        refuse(peer, who.ref(), ErrorCode.UNAVAILABLE);
        return;
      }
      List<String> names = new ArrayList<>(members.values());
      names.sort(UserNames.ORDER);
      peer.client.send(new Event.Members(who.ref(), who.room(), names));
    }, hubThread);
  }

  // ---------------------------------------------------------------- queries

  /** The names of a room's members, sorted. Empty for a room nobody is in. */
  public List<String> members(String roomName) {
    Room room = rooms.get(roomName);
    return room == null ? List.of() : room.memberNames();
  }

  /** How many users, on any node, are in each of these rooms. */
  public CompletionStage<Map<String, Integer>> memberCounts(List<String> roomNames) {
    Map<String, Integer> counts = new HashMap<>();
    CompletableFuture<?>[] lookups = roomNames.stream().map(name -> {
      Room room = rooms.get(name);
      if (room != null && room.loaded) {
        counts.put(name, room.cluster.size());
        return CompletableFuture.completedFuture(null);
      }
      return presence.members(name).thenAcceptAsync(members -> counts.put(name, members.size()), hubThread)
          .toCompletableFuture();
    }).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(lookups).thenApplyAsync(done -> counts, hubThread);
  }

  /** The rooms this node has open (it has sockets in them, or is opening them). */
  Set<String> openRooms() {
    Set<String> open = new HashSet<>();
    rooms.all().forEach(room -> open.add(room.name));
    return open;
  }

  /** The open connections, those still waiting for their user included. */
  public int connectionCount() {
    return peers.size() + connecting.size();
  }

}
