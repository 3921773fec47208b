package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.fuzz.FuzzFrames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.slf4j.LoggerFactory;

/**
 * The hub driven by random sequences of connections, commands, disconnections, clock moves and
 * store faults, with the test fakes (no network): no exception escapes, every command with a ref
 * is answered exactly once and with a code the contract's check order allows, and no socket ever
 * sees a message id twice, out of order, with a gap, or before its {@code joined}.
 */
class FuzzChatHubTest {

  // ---------------------------------------------------------------- steps

  /** One thing that happens to the hub. */
  sealed interface Step {
    /** A socket opens: /chat or /ws, without a session (sid -1) or as one of a few sessions. */
    record Connect(boolean plain, int sid) implements Step {}

    record Disconnect(int socket) implements Step {}

    /** A command on a socket; its ref is replaced by a unique one unless it has none. */
    record Send(int socket, Command command) implements Step {}

    record Advance(long millis) implements Step {}

    /** The store starts or stops failing or holding back (see {@link Driver#fault}). */
    record Fault(int kind) implements Step {}
  }

  static final int FAULTS = 13;

  @Provide
  Arbitrary<List<Step>> scenarios() {
    return step().list().ofMinSize(1).ofMaxSize(80);
  }

  static Arbitrary<Step> step() {
    Arbitrary<Integer> socket = Arbitraries.integers().between(0, 7);
    return Arbitraries.frequencyOf(
        Tuple.of(8, Combinators.combine(Arbitraries.of(true, false, false, false), Arbitraries.integers()
            .between(-1, 2)).as(Step.Connect::new)),
        Tuple.of(2, socket.map(Step.Disconnect::new)),
        Tuple.of(60, Combinators.combine(socket, command()).as(Step.Send::new)),
        Tuple.of(8, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 200)),
            Tuple.of(2, Arbitraries.longs().between(900, 3100)), Tuple.of(1, Arbitraries.longs().between(9_000, 12_000)))
            .map(Step.Advance::new)),
        Tuple.of(3, Arbitraries.integers().between(0, FAULTS - 1).map(Step.Fault::new)));
  }

  /** Commands as a transport would hand them over: required fields present, everything else hostile. */
  static Arbitrary<Command> command() {
    Arbitrary<String> ref = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("r")),
        Tuple.of(1, Arbitraries.just((String) null)));
    Arbitrary<String> room = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("general", "calm", "a")),
        Tuple.of(1, FuzzFrames.room()));
    Arbitrary<Long> number = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((Long) null)),
        Tuple.of(3, Arbitraries.longs().between(-2, 12)), Tuple.of(1, Arbitraries.longs()),
        Tuple.of(1, Arbitraries.of(0L, 1L, 99L, 100L, 101L, 500L, 501L, Long.MAX_VALUE, Long.MIN_VALUE)));
    Arbitrary<Integer> limit = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((Integer) null)),
        Tuple.of(3, Arbitraries.integers().between(-1, 102)),
        Tuple.of(1, Arbitraries.of(0, 1, 100, 101, Integer.MAX_VALUE, Integer.MIN_VALUE)));
    Arbitrary<String> cid = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((String) null)),
        Tuple.of(1, Arbitraries.of("c1", "c2", "c3")));
    Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("alice", "Alice", "bob", "user1")),
        Tuple.of(1, FuzzFrames.name()));
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(ref, room, number).as(Command.Join::new)),
        Tuple.of(2, Combinators.combine(ref, room).as(Command.Leave::new)),
        Tuple.of(10, Combinators.combine(ref, room, FuzzFrames.messageText(), cid).as(Command.Send::new)),
        Tuple.of(2, Combinators.combine(ref, room).as(Command.Typing::new)),
        Tuple.of(3, Combinators.combine(ref, name).as(Command.Nick::new)),
        Tuple.of(3, Combinators.combine(ref, room, number, limit).as(Command.History::new)),
        Tuple.of(2, Combinators.combine(ref, room).as(Command.Who::new)));
  }

  private ch.qos.logback.classic.Level chatLevel;

  /** Injected store faults make the hub warn on every try; those warnings are expected here. */
  @BeforeProperty
  void quiet() {
    ch.qos.logback.classic.Logger chat = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.parley.chat");
    chatLevel = chat.getLevel();
    chat.setLevel(ch.qos.logback.classic.Level.ERROR);
  }

  @AfterProperty
  void loud() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.parley.chat")).setLevel(chatLevel);
  }

  @Property(tries = 400)
  void noScenarioThrowsLosesOrDoublesAReplyOrDeliversAMessageTwiceOutOfOrderOrWithAGap(
      @ForAll("scenarios") List<Step> steps, @ForAll boolean leaveGrace) {
    Driver driver = new Driver(leaveGrace ? 2000 : 0);
    for (Step step : steps) {
      driver.run(step);
    }
    driver.finish();
  }

  // ---------------------------------------------------------------- the driver and its checks

  /** Runs steps against a hub, then checks what every socket received. Shared with the Jazzer target. */
  static final class Driver {
    private final HubFixture f;
    private final List<Socket> sockets = new ArrayList<>();
    private int refs;

    Driver(long leaveGraceMillis) {
      f = new HubFixture(Limits.defaults(), leaveGraceMillis);
    }

    private static final class Socket {
      final FakeClient client;
      final boolean plain;
      boolean open = true;
      /** Commands sent with a ref, by ref, in order. */
      final Map<String, Command> asked = new HashMap<>();

      Socket(FakeClient client, boolean plain) {
        this.client = client;
        this.plain = plain;
      }
    }

    void run(Step step) {
      if (step instanceof Step.Connect c) {
        String sid = c.sid() < 0 ? null : "s" + c.sid();
        FakeClient client = c.plain() ? f.connectPlain() : f.connect(sid);
        sockets.add(new Socket(client, c.plain()));
      } else if (step instanceof Step.Disconnect d) {
        Socket s = pick(d.socket());
        if (s != null && s.open) {
          s.open = false;
          f.disconnect(s.client);
        }
      } else if (step instanceof Step.Send cmd) {
        Socket s = pick(cmd.socket());
        if (s != null && s.open) {
          Command command = cmd.command().ref() == null ? cmd.command() : withRef(cmd.command(), "q" + ++refs);
          if (command.ref() != null) {
            s.asked.put(command.ref(), command);
          }
          f.handle(s.client, command);
        }
      } else if (step instanceof Step.Advance a) {
        f.clock.advanceMillis(a.millis());
      } else if (step instanceof Step.Fault fault) {
        fault(fault.kind());
      }
      closeWhatTheHubClosed();
    }

    private Socket pick(int index) {
      return sockets.isEmpty() ? null : sockets.get(index % sockets.size());
    }

    /** A transport tells the hub of a close it made; so does this driver. */
    private void closeWhatTheHubClosed() {
      for (Socket s : sockets) {
        if (s.open && s.client.closeCode() != null) {
          s.open = false;
          f.disconnect(s.client);
        }
      }
    }

    void fault(int kind) {
      FlakyStore store = f.store;
      switch (kind) {
        case 0 -> {
          store.appendFailure = FlakyStore.AppendFailure.NONE;
          store.failReads = false;
          store.failGuests = false;
          store.failNames = false;
          store.failCreateRoom = false;
        }
        case 1 -> store.appendFailure = FlakyStore.AppendFailure.BEFORE_COMMIT;
        case 2 -> store.appendFailure = FlakyStore.AppendFailure.AFTER_COMMIT;
        case 3 -> store.failReads = true;
        case 4 -> store.hold.add(FlakyStore.Op.APPEND);
        case 5 -> store.hold.add(FlakyStore.Op.MESSAGES);
        case 6 -> store.hold.add(FlakyStore.Op.LAST_ID);
        case 7 -> store.hold.add(FlakyStore.Op.USERS);
        case 8 -> store.hold.add(FlakyStore.Op.NAMES);
        case 9 -> f.loop.execute(store::release);
        case 10 -> store.failGuests = true;
        case 11 -> store.failNames = true;
        default -> store.failCreateRoom = true;
      }
    }

    /** Heals the store, lets every timer that matters fire, then checks every socket. */
    void finish() {
      fault(0);
      f.loop.execute(f.store::release);
      closeWhatTheHubClosed();
      for (int i = 0; i < 3; i++) {
        f.clock.advanceMillis(11_000);
        f.loop.execute(f.store::release);
        closeWhatTheHubClosed();
      }
      for (Socket s : sockets) {
        check(s);
      }
    }

    private void check(Socket s) {
      List<Event> events = s.client.events();
      // Replies: exactly one per ref while the socket stayed open and its user loaded; at most one otherwise.
      Map<String, List<Event>> replies = new HashMap<>();
      for (Event e : events) {
        String ref = FakeClient.refOf(e);
        if (ref != null && !ref.equals("r")) {
          replies.computeIfAbsent(ref, k -> new ArrayList<>()).add(e);
        }
      }
      for (String ref : replies.keySet()) {
        assertTrue(s.asked.containsKey(ref), () -> s.client + " got a reply to a ref it never sent: " + ref);
      }
      boolean attached = events.stream().anyMatch(e -> e instanceof Event.Hello);
      for (Map.Entry<String, Command> asked : s.asked.entrySet()) {
        List<Event> got = replies.getOrDefault(asked.getKey(), List.of());
        Command command = asked.getValue();
        assertTrue(got.size() <= 1, () -> s.client + " got " + got.size() + " replies to " + command + ": " + got);
        if (command instanceof Command.Typing) {
          assertTrue(got.stream().allMatch(e -> e instanceof Event.Failure), () -> "typing is answered only "
              + "with an error: " + got);
        } else if (s.open && attached) {
          assertEquals(1, got.size(), () -> s.client + " got no reply to " + command + "; events: " + events);
        }
        if (!got.isEmpty()) {
          checkOrder(command, got.get(0));
        }
      }
      checkStream(s, events);
    }

    /** The reply is one the contract's check order allows for this command. */
    private static void checkOrder(Command command, Event reply) {
      ErrorCode code = reply instanceof Event.Failure failure ? failure.code() : null;
      Set<ErrorCode> later;
      ErrorCode first;
      Class<? extends Event> success;
      if (command instanceof Command.Join c) {
        first = c.since() != null && c.since() < 0 ? ErrorCode.BAD_REQUEST
            : !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        later = EnumSet.of(ErrorCode.TOO_MANY_ROOMS, ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE);
        success = Event.Joined.class;
      } else if (command instanceof Command.Leave c) {
        first = !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        later = EnumSet.of(ErrorCode.NOT_JOINED, ErrorCode.RATE_LIMITED);
        success = Event.Left.class;
      } else if (command instanceof Command.Send c) {
        first = !TextRules.isWellFormed(c.text()) ? ErrorCode.BAD_REQUEST
            : !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        boolean blank = TextRules.isBlank(c.text());
        boolean tooLong = c.text().codePointCount(0, c.text().length()) > Limits.defaults().maxText();
        later = blank ? EnumSet.of(ErrorCode.NOT_JOINED, ErrorCode.EMPTY)
            : tooLong ? EnumSet.of(ErrorCode.NOT_JOINED, ErrorCode.TOO_LONG)
            : EnumSet.of(ErrorCode.NOT_JOINED, ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE);
        success = blank || tooLong ? null : Event.Ack.class;
      } else if (command instanceof Command.Typing c) {
        first = !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        later = EnumSet.of(ErrorCode.NOT_JOINED);
        success = null;
      } else if (command instanceof Command.Nick c) {
        first = !UserNames.isChoosable(c.name()) ? ErrorCode.INVALID_NAME : null;
        later = EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.NAME_TAKEN, ErrorCode.UNAVAILABLE);
        success = Event.NickChanged.class;
      } else if (command instanceof Command.History c) {
        first = c.limit() != null && (c.limit() < 1 || c.limit() > 100) || c.before() != null && c.before() < 1
            ? ErrorCode.BAD_REQUEST : !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        later = EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE);
        success = Event.History.class;
        if (reply instanceof Event.History h) {
          checkHistory(c, h);
        }
      } else {
        Command.Who c = (Command.Who) command;
        first = !RoomNames.isValid(c.room()) ? ErrorCode.INVALID_ROOM : null;
        later = EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE);
        success = Event.Members.class;
      }
      if (first != null) {
        assertEquals(first, code, () -> "the first failing check answers " + command + ": " + reply);
      } else if (code != null) {
        assertTrue(later.contains(code), () -> code + " is not a possible answer to " + command + ": " + reply);
      } else {
        assertTrue(success != null && success.isInstance(reply), () -> reply + " cannot answer " + command);
      }
    }

    private static void checkHistory(Command.History c, Event.History h) {
      int limit = c.limit() == null ? 50 : c.limit();
      long before = c.before() == null ? Long.MAX_VALUE : c.before();
      List<Message> m = h.messages();
      assertTrue(m.size() <= limit, () -> "more than " + limit + ": " + m.size());
      for (int i = 0; i < m.size(); i++) {
        assertTrue(m.get(i).id() < before, "ids below before");
        assertEquals(c.room(), m.get(i).room());
        if (i > 0) {
          assertTrue(m.get(i - 1).id() < m.get(i).id(), "oldest first");
        }
      }
    }

    /**
     * Per room: nothing before the first {@code joined}; after a {@code joined} with lastId N the
     * live messages are N+1, N+2, … (no duplicate, no gap, no disorder); nothing after {@code left};
     * and a socket's own ack comes before its own message.
     */
    private static void checkStream(Socket s, List<Event> events) {
      Map<String, Long> next = new HashMap<>();
      Map<String, Integer> ackAt = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        if (e instanceof Event.Joined j) {
          Long current = next.get(j.room());
          next.put(j.room(), Math.max(current == null ? 0 : current, j.lastId() + 1));
          for (int k = 1; k < j.messages().size(); k++) {
            assertTrue(j.messages().get(k - 1).id() < j.messages().get(k).id(), "a joined's messages oldest first");
          }
          j.messages().forEach(m -> assertTrue(m.id() <= j.lastId(), "a joined's messages end at lastId"));
        } else if (e instanceof Event.Left l) {
          next.remove(l.room());
        } else if (e instanceof Event.Ack a && s.asked.get(a.ref()) instanceof Command.Send send
            && send.cid() == null) {
          // (A retry with a cid may be acknowledged long after its message went out.)
          ackAt.put(a.room() + "#" + a.id(), i);
        } else if (e instanceof Event.Posted p) {
          Message m = p.message();
          Long expected = next.get(m.room());
          final int at = i;
          assertTrue(expected != null, () -> s.client + " got message " + m.id() + " of " + m.room()
              + " without being joined: " + events.subList(0, at + 1));
          assertEquals(expected, m.id(), () -> s.client + " got " + m.room() + " message " + m.id() + " where "
              + expected + " was next: " + events);
          next.put(m.room(), m.id() + 1);
        }
      }
      // An ack that arrived after the socket's own message would have been recorded after it.
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i) instanceof Event.Posted p) {
          Integer ack = ackAt.get(p.message().room() + "#" + p.message().id());
          final int at = i;
          assertTrue(ack == null || ack < at, () -> s.client + ": the ack of its own message " + p.message().id()
              + " came after the message");
        }
      }
    }

    private static Command withRef(Command c, String ref) {
      if (c instanceof Command.Join x) {
        return new Command.Join(ref, x.room(), x.since());
      } else if (c instanceof Command.Leave x) {
        return new Command.Leave(ref, x.room());
      } else if (c instanceof Command.Send x) {
        return new Command.Send(ref, x.room(), x.text(), x.cid());
      } else if (c instanceof Command.Typing x) {
        return new Command.Typing(ref, x.room());
      } else if (c instanceof Command.Nick x) {
        return new Command.Nick(ref, x.name());
      } else if (c instanceof Command.History x) {
        return new Command.History(ref, x.room(), x.before(), x.limit());
      }
      Command.Who x = (Command.Who) c;
      return new Command.Who(ref, x.room());
    }
  }
}
