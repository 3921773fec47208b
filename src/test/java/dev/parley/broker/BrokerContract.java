package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.chat.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Broker} adapter promises, run by each adapter's test class against a fresh
 * broker whose sink records what it receives. Room names carry a prefix unique to the test, so
 * that tests sharing one Redis do not hear each other.
 */
@Timeout(60)
abstract class BrokerContract {
  static final long WAIT_MILLIS = 10_000;

  protected Broker broker;
  protected Received received;
  protected Recorder<Signal> signals;
  private String prefix;

  /** A new broker, not yet started. */
  protected abstract Broker newBroker() throws Exception;

  @BeforeEach
  void openBroker() throws Exception {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    received = new Received();
    signals = new Recorder<>();
    broker = newBroker();
    broker.start(received);
    broker.onSignal(signals);
  }

  @AfterEach
  void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** A room name no other test uses. */
  protected String room(String name) {
    return prefix + name;
  }

  protected static Message message(String room, long id, String text) {
    return new Message(room, id, "user" + id, text, 1_700_000_000_000L + id);
  }

  protected static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  void aPublishedMessageReachesTheSinkOfASubscribedBrokerWithEveryFieldIntact() throws Exception {
    String room = room("general");
    await(broker.subscribe(room));
    Message sent = new Message(room, 42, "Zoë_ünïcode",
        "héllo 👋 世界\nsecond line\r\n\ttab \"quotes\" \\ backslash {\"json\":true} \u0000 end",
        1_712_345_678_901L);

    await(broker.publish(sent));

    assertEquals(sent, received.awaitFirst(m -> m.room().equals(room)));
  }

  @Test
  void aMessageForARoomNotSubscribedIsNotDelivered() throws Exception {
    String elsewhere = room("elsewhere");
    String here = room("here");
    await(broker.subscribe(here));

    await(broker.publish(message(elsewhere, 1, "not for us")));
    await(broker.publish(message(here, 1, "marker")));

    received.awaitFirst(m -> m.room().equals(here));
    assertEquals(List.of(), received.of(elsewhere), "a message of a room never subscribed was delivered");
  }

  @Test
  void afterUnsubscribeNoMoreMessagesOfTheRoomArrive() throws Exception {
    String room = room("leaving");
    String marker = room("marker");
    await(broker.subscribe(room));
    await(broker.subscribe(marker));
    await(broker.publish(message(room, 1, "before")));
    received.awaitFirst(m -> m.room().equals(room));

    await(broker.unsubscribe(room));
    await(broker.publish(message(room, 2, "after")));
    await(broker.publish(message(marker, 1, "marker")));

    received.awaitFirst(m -> m.room().equals(marker));
    assertEquals(List.of(1L), ids(received.of(room)), "a message published after unsubscribe was delivered");
  }

  @Test
  void unsubscribingThenSubscribingAtOnceLeavesTheRoomSubscribed() throws Exception {
    String room = room("flapping");
    await(broker.subscribe(room));

    CompletionStage<Void> left = broker.unsubscribe(room);
    CompletionStage<Void> back = broker.subscribe(room);
    await(left);
    await(back);
    await(broker.publish(message(room, 1, "still here")));

    assertEquals(1, received.awaitFirst(m -> m.room().equals(room)).id());
  }

  @Test
  void messagesOfOneRoomPublishedFromOneBrokerArriveInPublishOrder() throws Exception {
    String room = room("ordered");
    await(broker.subscribe(room));
    int count = 500;

    List<CompletableFuture<Void>> published = new ArrayList<>();
    for (long id = 1; id <= count; id++) {
      published.add(broker.publish(message(room, id, "message " + id)).toCompletableFuture());
    }
    await(CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)));

    received.awaitCount(room, count);
    assertEquals(LongStream.rangeClosed(1, count).boxed().collect(Collectors.toList()), ids(received.of(room)));
  }

  @Test
  void pingSucceedsWhileTheBrokerAnswers() throws Exception {
    await(broker.ping());
  }

  @Test
  void aSignalOfASubscribedRoomReachesTheSignalSinkWithEveryFieldIntact() throws Exception {
    String room = room("signals");
    await(broker.subscribe(room));
    Signal join = Signal.join(room, "key|with:odd\tchars 👋", "Zoë_ünïcode");
    Signal typing = Signal.typing(room, "u2", "bob");
    Signal leave = Signal.leave(room, "u3", "carol");

    await(broker.signal(join));
    await(broker.signal(typing));
    await(broker.signal(leave));

    assertEquals(List.of(join, typing, leave), signals.awaitCount(s -> room.equals(s.room()), 3, WAIT_MILLIS),
        "one node's signals of a room arrive intact and in order");
  }

  @Test
  void aSignalOfARoomNotSubscribedIsNotDelivered() throws Exception {
    String elsewhere = room("elsewhere");
    String here = room("here");
    await(broker.subscribe(here));

    await(broker.signal(Signal.join(elsewhere, "u1", "alice")));
    await(broker.signal(Signal.join(here, "u1", "alice")));

    signals.awaitFirst(s -> here.equals(s.room()));
    assertEquals(List.of(), signals.matching(s -> elsewhere.equals(s.room())),
        "a signal of a room never subscribed was delivered");
  }

  @Test
  void aRenameReachesABrokerSubscribedToNoRoom() throws Exception {
    String user = room("renamed");
    await(broker.ping());
    Signal rename = Signal.rename(user, "old_name", "new_name");

    await(broker.signal(rename));

    assertEquals(rename, signals.awaitFirst(s -> user.equals(s.user())));
  }

  @Test
  void messagesAndSignalsOfOneRoomEachReachTheirOwnSink() throws Exception {
    String room = room("both");
    await(broker.subscribe(room));

    await(broker.publish(message(room, 1, "a message")));
    await(broker.signal(Signal.typing(room, "u1", "alice")));
    await(broker.publish(message(room, 2, "marker")));

    received.awaitCount(room, 2);
    signals.awaitFirst(s -> room.equals(s.room()));
    assertEquals(List.of(1L, 2L), ids(received.of(room)), "only the messages reach the message sink");
    assertEquals(List.of(Signal.typing(room, "u1", "alice")), signals.matching(s -> room.equals(s.room())),
        "only the signal reaches the signal sink");
  }

  protected static List<Long> ids(List<Message> messages) {
    return messages.stream().map(Message::id).collect(Collectors.toList());
  }

  /** A sink that records every message, with bounded waits on what it recorded. */
  protected static final class Received implements Consumer<Message> {
    private final List<Message> all = new ArrayList<>();

    @Override
    public synchronized void accept(Message message) {
      all.add(message);
      notifyAll();
    }

    /** What arrived for the room so far, in arrival order. */
    public synchronized List<Message> of(String room) {
      return all.stream().filter(m -> m.room().equals(room)).collect(Collectors.toList());
    }

    /** The first message matching, waiting for it up to 10 s. */
    public synchronized Message awaitFirst(Predicate<Message> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
      while (true) {
        for (Message m : all) {
          if (wanted.test(m)) {
            return m;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          fail("no matching message within " + WAIT_MILLIS + " ms; received " + all);
        }
        wait(left);
      }
    }

    /** Waits up to 10 s until at least {@code count} messages of the room arrived. */
    public synchronized void awaitCount(String room, int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
      while (of(room).size() < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        assertTrue(left > 0, "only " + of(room).size() + " of " + count + " messages of " + room
            + " arrived within " + WAIT_MILLIS + " ms");
        wait(left);
      }
    }
  }
}
