package dev.parley.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jline.utils.AttributedString;

/**
 * The interactive client's state: who the user is, the rooms and what was seen in each, the commands
 * waiting for an answer and the messages not yet acknowledged. It runs on the {@link Link}'s event loop;
 * the terminal hands it input with {@link #submit} and {@link #typing} from its own thread.
 *
 * <p>After a reconnect it takes the user's name back and rejoins every room with {@code since} = the
 * last id seen there, so the server sends exactly what was missed; ids not above the last one seen are
 * never shown again. A message typed while offline is sent once the room is rejoined; one that was sent
 * but not acknowledged when the connection dropped is sent again unless the missed messages show it
 * arrived.
 */
final class ChatSession implements Link.Listener {
  /** Where the session shows things; called on the event loop. */
  interface Screen {
    void show(AttributedString line);

    void prompt(AttributedString prompt);

    /** The session cannot go on (the server refused the connection): the client should exit with this code. */
    void end(int code);
  }

  private static final Duration TYPING_EVERY = Duration.ofSeconds(3);
  private static final Duration TYPING_SHOWN = Duration.ofSeconds(5);
  private static final Duration NICK_RETRY = Duration.ofSeconds(2);
  private static final int NICK_RETRIES = 5;

  /** What a command with a {@code ref} asked for, to make sense of its answer. */
  private sealed interface Request {}

  private record JoinRequest(String room, Long since, boolean explicit) implements Request {}

  private record LeaveRequest(String room) implements Request {}

  private record SendRequest(String cid) implements Request {}

  private record NickRequest(String name, boolean automatic) implements Request {}

  private record WhoRequest(String room) implements Request {}

  /** A typed message until its {@code ack}. */
  private static final class Pending {
    final String cid;
    final String room;
    final String text;
    /** The ref of its {@code send} on the current connection; null when not (or no longer) in flight. */
    String ref;
    /** The name it was sent under, when it was sent on an earlier connection and never acknowledged. */
    String sentAs;

    Pending(String cid, String room, String text) {
      this.cid = cid;
      this.room = room;
      this.text = text;
    }
  }

  private final Link link;
  private final Screen screen;
  private final Renderer renderer;
  private final Rooms rooms = new Rooms();
  private final Map<String, Request> requests = new HashMap<>();
  private final Map<String, Pending> outbox = new LinkedHashMap<>();
  private final Set<String> joinedNow = new HashSet<>();
  private final Map<String, Long> typingSent = new HashMap<>();
  private final Map<String, Long> typingShown = new HashMap<>();
  /** The name to hold: from {@code --name} or the last {@code /nick}; taken back after a reconnect. */
  private String wantedName;
  /** This connection's name, from {@code hello} and renames. */
  private String me;
  private boolean connected;
  private boolean everConnected;
  private int nickRetries;
  private long refs;

  ChatSession(Vertx vertx, ServerAddress address, Backoff backoff, Screen screen, Renderer renderer, String name,
      String room) {
    this.link = new Link(vertx, address, backoff, this);
    this.screen = screen;
    this.renderer = renderer;
    this.wantedName = name;
    rooms.add(room);
    rooms.setCurrent(room);
  }

  /** Connects; everything after happens on the event loop. */
  void start() {
    link.run(() -> {
      show(renderer.system().text("connecting to " + link.address()).done());
      prompt();
      link.start();
    });
  }

  /** Handles a typed line (any thread). */
  void submit(UserInput input) {
    link.run(() -> handle(input));
  }

  /** The user is typing in the current room (any thread); tells the room at most every 3 s. */
  void typing() {
    link.run(this::sendTyping);
  }

  /** Closes the connection (1000); the server tells the rooms that the user left. */
  Future<Void> close() {
    return link.close();
  }

  // ------------------------------------------------------------------ the link

  @Override
  public void up() {
    // hello follows
  }

  @Override
  public void frame(String text) {
    Incoming frame = Incoming.parse(text);
    if (frame instanceof Incoming.Hello hello) {
      hello(hello);
    } else if (frame instanceof Incoming.Joined joined) {
      joined(joined);
    } else if (frame instanceof Incoming.Posted posted) {
      received(posted.message());
    } else if (frame instanceof Incoming.Ack ack) {
      if (requests.remove(ack.ref()) instanceof SendRequest send) {
        outbox.remove(send.cid());
      }
    } else if (frame instanceof Incoming.Left left) {
      requests.remove(left.ref());
      show(renderer.system().text("you left ").room(left.room()).done());
    } else if (frame instanceof Incoming.Members members) {
      requests.remove(members.ref());
      show(renderer.system().room(members.room()).text(": " + count(members.members().size()) + ": ")
          .names(members.members()).done());
    } else if (frame instanceof Incoming.Presence presence) {
      if (rooms.contains(presence.room())) {
        show(renderer.system().name(presence.name()).text(presence.joined() ? " joined " : " left ")
            .room(presence.room()).done());
      }
    } else if (frame instanceof Incoming.Typing typing) {
      typingShown(typing);
    } else if (frame instanceof Incoming.Nick nick) {
      nick(nick);
    } else if (frame instanceof Incoming.Failure failure) {
      failure(failure);
    }
  }

  @Override
  public void down(String reason, Duration retryIn) {
    boolean wasConnected = connected;
    connected = false;
    joinedNow.clear();
    requests.clear();
    for (Pending p : outbox.values()) {
      p.ref = null; // sent under p.sentAs, outcome unknown: settled when the room is rejoined
    }
    if (retryIn == null) {
      show(renderer.error().words(reason).done());
      screen.end(1);
      return;
    }
    String next = String.format(Locale.ROOT, "%.1f s", retryIn.toMillis() / 1000.0);
    if (wasConnected) {
      show(renderer.error().text("disconnected: ").words(reason).text("; reconnecting in " + next).done());
    } else {
      show(renderer.system().text("not connected: ").words(reason).text("; next try in " + next).done());
    }
    prompt();
  }

  // ------------------------------------------------------------------ frames

  private void hello(Incoming.Hello hello) {
    me = hello.name();
    connected = true;
    show(renderer.system().text(everConnected ? "reconnected as " : "connected to " + link.address() + " as ")
        .name(me).done());
    everConnected = true;
    if (wantedName != null && !wantedName.equals(me)) {
      sendNick(wantedName, true);
    }
    for (String room : rooms.all()) {
      sendJoin(room, false);
    }
    prompt();
  }

  private void joined(Incoming.Joined joined) {
    String room = joined.room();
    if (!(requests.remove(joined.ref()) instanceof JoinRequest request) || !rooms.contains(room)) {
      return; // the user left the room meanwhile
    }
    Long since = request.since();
    if (since != null && joined.lastId() < since) {
      // The server has fewer messages than this client saw: its history was wiped (an in-memory server restarted).
      show(renderer.system().text("the server's history of ").room(room).text(" starts again").done());
      rooms.forget(room);
      since = null;
    } else if (since != null && Boolean.FALSE.equals(joined.recovered())) {
      show(renderer.system().text("you missed messages in ").room(room).text(" while away; here are the latest")
          .done());
    }
    if (request.explicit()) {
      rooms.setCurrent(room); // before its history, which is then shown as the current room's
      prompt();
    }
    for (Incoming.Message m : joined.messages()) {
      received(m);
    }
    rooms.seenUpTo(room, joined.lastId());
    joinedNow.add(room);
    if (since == null) {
      show(renderer.system().text("you joined ").room(room).text(": " + count(joined.members().size()) + ": ")
          .names(joined.members()).done());
    }
    for (Pending p : List.copyOf(outbox.values())) {
      if (p.room.equals(room) && p.ref == null) {
        transmit(p);
      }
    }
  }

  /** A message from a {@code joined} snapshot or live: shown once. */
  private void received(Incoming.Message m) {
    if (!rooms.accept(m.room(), m.id())) {
      return;
    }
    // A message sent before the connection dropped, and never acknowledged, that arrived after all.
    outbox.values().removeIf(p -> p.ref == null && p.sentAs != null && p.sentAs.equalsIgnoreCase(m.from())
        && p.room.equals(m.room()) && p.text.equals(m.text()));
    show(renderer.message(m, me, !m.room().equals(rooms.current())));
  }

  private void typingShown(Incoming.Typing typing) {
    if (!rooms.contains(typing.room()) || typing.name().equalsIgnoreCase(me)) {
      return;
    }
    String key = typing.room() + "\n" + typing.name().toLowerCase(Locale.ROOT);
    long now = System.nanoTime();
    Long last = typingShown.get(key);
    if (last != null && now - last < TYPING_SHOWN.toNanos()) {
      return;
    }
    typingShown.put(key, now);
    show(renderer.system().name(typing.name()).text(" is typing in ").room(typing.room()).text("…").done());
  }

  private void nick(Incoming.Nick nick) {
    Request request = nick.ref() == null ? null : requests.remove(nick.ref());
    if (request instanceof NickRequest || nick.from().equalsIgnoreCase(me)) {
      me = nick.to();
      wantedName = nick.to();
      nickRetries = 0;
      show(renderer.system().text("you are now ").name(me).done());
      prompt();
    } else {
      typingShown.keySet().removeIf(k -> k.endsWith("\n" + nick.from().toLowerCase(Locale.ROOT)));
      show(renderer.system().name(nick.from()).text(" is now known as ").name(nick.to()).done());
    }
  }

  private void failure(Incoming.Failure failure) {
    Request request = failure.ref() == null ? null : requests.remove(failure.ref());
    if (request instanceof JoinRequest join) {
      rooms.remove(join.room());
      outbox.values().removeIf(p -> p.room.equals(join.room()));
      show(renderer.error().text("could not join ").room(join.room()).text(": ").words(failure.code()).text(": ")
          .words(failure.words()).done());
      prompt();
    } else if (request instanceof SendRequest send) {
      Pending p = outbox.remove(send.cid());
      Renderer.Line line = renderer.error().text("not sent");
      if (p != null) {
        line.text(" to ").room(p.room);
      }
      show(line.text(": ").words(failure.code()).text(": ").words(failure.words()).done());
    } else if (request instanceof NickRequest nick) {
      if (nick.automatic() && "name_taken".equals(failure.code()) && nickRetries < NICK_RETRIES && everConnected) {
        // After a reconnect the server may not have seen the old connection go yet.
        nickRetries++;
        link.later(NICK_RETRY, () -> {
          if (connected && nick.name().equals(wantedName) && !nick.name().equals(me)) {
            sendNick(nick.name(), true);
          }
        });
        return;
      }
      if (nick.automatic()) {
        wantedName = null; // keep the name the server gave
      }
      show(renderer.error().text("could not take the name ").words(nick.name()).text(": ").words(failure.code())
          .text(": ").words(failure.words()).done());
    } else {
      show(renderer.error().text("error: ").words(failure.code()).text(": ").words(failure.words()).done());
    }
  }

  // ------------------------------------------------------------------ input

  private void handle(UserInput input) {
    if (input instanceof UserInput.Say say) {
      say(say.text());
    } else if (input instanceof UserInput.Nick nick) {
      if (requireConnection()) {
        sendNick(nick.name(), false);
      }
    } else if (input instanceof UserInput.Join join) {
      join(join.room());
    } else if (input instanceof UserInput.Leave leave) {
      leave(leave.room() == null ? rooms.current() : leave.room());
    } else if (input instanceof UserInput.Who who) {
      String room = who.room() == null ? rooms.current() : who.room();
      if (room == null) {
        show(renderer.error().text("you are in no room: /who ROOM").done());
      } else if (requireConnection()) {
        String ref = ref();
        requests.put(ref, new WhoRequest(room));
        link.send(Outgoing.who(ref, room));
      }
    } else if (input instanceof UserInput.Help) {
      UserInput.HELP.forEach(line -> show(renderer.system().text(line).done()));
    } else if (input instanceof UserInput.Invalid invalid) {
      show(renderer.error().words(invalid.words()).done());
    } else if (input instanceof UserInput.Quit) {
      screen.end(0);
    }
  }

  private void say(String text) {
    String room = rooms.current();
    if (room == null) {
      show(renderer.error().text("you are in no room: /join ROOM first").done());
      return;
    }
    Pending p = new Pending(UUID.randomUUID().toString(), room, text);
    outbox.put(p.cid, p);
    if (connected && joinedNow.contains(room)) {
      transmit(p);
    } else {
      show(renderer.system().text("offline: the message will be sent once ").room(room).text(" is rejoined").done());
    }
  }

  private void join(String room) {
    if (rooms.contains(room)) {
      rooms.setCurrent(room);
      show(renderer.system().text("talking in ").room(room).done());
      prompt();
    } else if (connected) {
      rooms.add(room);
      sendJoin(room, true);
    } else {
      rooms.add(room);
      rooms.setCurrent(room);
      show(renderer.system().text("offline: you will join ").room(room).text(" once connected").done());
      prompt();
    }
  }

  private void leave(String room) {
    if (room == null) {
      show(renderer.error().text("you are in no room").done());
      return;
    }
    if (!rooms.contains(room)) {
      show(renderer.error().text("you are not in ").room(room).done());
      return;
    }
    boolean wasJoined = joinedNow.remove(room);
    rooms.remove(room);
    outbox.values().removeIf(p -> p.room.equals(room));
    if (connected && wasJoined) {
      String ref = ref();
      requests.put(ref, new LeaveRequest(room));
      link.send(Outgoing.leave(ref, room));
    } else {
      show(renderer.system().text("you left ").room(room).done());
    }
    if (rooms.current() == null) {
      show(renderer.system().text("you are in no room now: /join ROOM").done());
    }
    prompt();
  }

  private void sendTyping() {
    String room = rooms.current();
    if (!connected || room == null || !joinedNow.contains(room)) {
      return;
    }
    long now = System.nanoTime();
    Long last = typingSent.get(room);
    if (last == null || now - last >= TYPING_EVERY.toNanos()) {
      typingSent.put(room, now);
      link.send(Outgoing.typing(room));
    }
  }

  // ------------------------------------------------------------------ commands out

  private void sendJoin(String room, boolean explicit) {
    String ref = ref();
    Long since = rooms.since(room);
    requests.put(ref, new JoinRequest(room, since, explicit));
    link.send(Outgoing.join(ref, room, since));
  }

  private void sendNick(String name, boolean automatic) {
    String ref = ref();
    requests.put(ref, new NickRequest(name, automatic));
    link.send(Outgoing.nick(ref, name));
  }

  private void transmit(Pending p) {
    p.ref = ref();
    p.sentAs = me;
    requests.put(p.ref, new SendRequest(p.cid));
    link.send(Outgoing.send(p.ref, p.room, p.text, p.cid));
  }

  private boolean requireConnection() {
    if (!connected) {
      show(renderer.error().text("offline: try again once reconnected").done());
    }
    return connected;
  }

  private String ref() {
    return "c" + (++refs);
  }

  private static String count(int n) {
    return n == 1 ? "1 person" : n + " people";
  }

  private void show(AttributedString line) {
    screen.show(line);
  }

  private void prompt() {
    screen.prompt(renderer.prompt(rooms.current(), me, connected));
  }
}
