package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.broker.Broker;
import dev.parley.broker.InProcessBroker;
import dev.parley.store.NewMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ChatHub} without a network: an in-memory store (that can be made to fail), the
 * in-process broker, a manual clock and an {@link EventLoop} as the hub's thread. Every call
 * runs as one task of that loop, so when it returns the hub has done everything it can.
 */
final class HubFixture {
  /** No rate limits; everything else as the defaults. */
  static final Limits UNLIMITED = new Limits(4000, 20, 0, 50, 0, 50);

  final EventLoop loop = new EventLoop();
  final ManualScheduler clock = new ManualScheduler(loop);
  final FlakyStore store = new FlakyStore();
  final Broker broker;
  final ChatHub hub;
  private int refs;
  private int clients;

  HubFixture() {
    this(Limits.defaults(), 0);
  }

  HubFixture(Limits limits) {
    this(limits, 0);
  }

  HubFixture(Limits limits, long leaveGraceMillis) {
    this(limits, leaveGraceMillis, new InProcessBroker());
  }

  HubFixture(Limits limits, long leaveGraceMillis, Broker broker) {
    this.broker = broker;
    hub = new ChatHub(store, broker, limits, clock, loop, leaveGraceMillis);
  }

  /** A connection without a session: a guest of its own. */
  FakeClient connect() {
    return connect(null);
  }

  /** A /ws connection acting as session {@code sid} (or none). */
  FakeClient connect(String sid) {
    FakeClient client = new FakeClient((sid == null ? "guest" : sid) + "#" + ++clients, false);
    loop.execute(() -> hub.connect(client, sid));
    return client;
  }

  /** A connection without a session that has joined {@code room}. */
  FakeClient joined(String room) {
    return joined(null, room);
  }

  /** A /ws connection acting as session {@code sid} (or none) that has joined {@code room}. */
  FakeClient joined(String sid, String room) {
    FakeClient client = connect(sid);
    join(client, room);
    return client;
  }

  /** A plain-text /chat connection. */
  FakeClient connectPlain() {
    FakeClient client = new FakeClient("plain#" + ++clients, true);
    loop.execute(() -> hub.connect(client, null));
    return client;
  }

  void disconnect(FakeClient client) {
    loop.execute(() -> hub.disconnect(client));
  }

  void handle(FakeClient client, Command command) {
    loop.execute(() -> hub.handle(client, command));
  }

  String ref() {
    return "r" + ++refs;
  }

  // ------------------------------------------------------------ commands that must succeed

  Event.Joined join(FakeClient client, String room) {
    return join(client, room, null);
  }

  Event.Joined join(FakeClient client, String room, Long since) {
    String ref = ref();
    handle(client, new Command.Join(ref, room, since));
    return client.reply(ref, Event.Joined.class);
  }

  Event.Ack send(FakeClient client, String room, String text) {
    return send(client, room, text, null);
  }

  Event.Ack send(FakeClient client, String room, String text, String cid) {
    String ref = ref();
    handle(client, new Command.Send(ref, room, text, cid));
    return client.reply(ref, Event.Ack.class);
  }

  Event.NickChanged nick(FakeClient client, String name) {
    String ref = ref();
    handle(client, new Command.Nick(ref, name));
    return client.reply(ref, Event.NickChanged.class);
  }

  List<String> who(FakeClient client, String room) {
    String ref = ref();
    handle(client, new Command.Who(ref, room));
    return client.reply(ref, Event.Members.class).members();
  }

  /** Runs a command with a fresh ref and returns the error code that answered it. */
  ErrorCode refused(FakeClient client, java.util.function.Function<String, Command> command) {
    String ref = ref();
    handle(client, command.apply(ref));
    return client.error(ref);
  }

  // ------------------------------------------------------------ the store behind the hub's back

  /** Commits messages directly to the store (as another node would), without publishing them. */
  List<Message> commit(String room, int count) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      store.delegate.append(new NewMessage(room, "c:other-node", null, "remote", "m" + i, clock.now()))
          .thenAccept(a -> messages.add(a.message()));
    }
    assertTrue(messages.size() == count, "the in-memory store completes at once");
    return messages;
  }

  long lastId(String room) {
    long[] last = new long[1];
    store.delegate.lastId(room).thenAccept(id -> last[0] = id);
    return last[0];
  }
}
