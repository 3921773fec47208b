package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.broker.Broker;
import dev.parley.broker.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delivery through a broker that behaves like a remote one: its copy of a message may come
 * back before the publish is confirmed, and a publish may fail or be lost.
 */
@Timeout(60)
class ChatHubClusterDeliveryTest {

  /** Delivers at once, but confirms (or fails) each publish only when the test says so. */
  static final class RemoteLikeBroker implements Broker {
    private Consumer<Message> sink = m -> {};
    private Consumer<Signal> signals = s -> {};
    final List<CompletableFuture<Void>> confirmations = new ArrayList<>();
    boolean deliver = true;
    /** While set, signals (arrivals, departures) wait here, as if the broker were slow to echo them. */
    boolean holdSignals;
    final List<Signal> heldSignals = new ArrayList<>();

    @Override
    public void start(Consumer<Message> sink) {
      this.sink = sink;
    }

    @Override
    public void onSignal(Consumer<Signal> sink) {
      this.signals = sink;
    }

    @Override
    public CompletionStage<Void> signal(Signal signal) {
      if (holdSignals) {
        heldSignals.add(signal);
      } else {
        signals.accept(signal);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String room) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(Message message) {
      if (deliver) {
        sink.accept(message);
      }
      CompletableFuture<Void> confirmation = new CompletableFuture<>();
      confirmations.add(confirmation);
      return confirmation;
    }

    @Override
    public CompletionStage<Void> ping() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }

  private final RemoteLikeBroker broker = new RemoteLikeBroker();
  private final HubFixture f = new HubFixture(HubFixture.UNLIMITED, 0, broker);

  private void sendWithoutWaiting(FakeClient client, String room, String text, String cid) {
    f.handle(client, new Command.Send("s1", room, text, cid));
  }

  private void confirmPublishes() {
    f.loop.execute(() -> broker.confirmations.forEach(c -> c.complete(null)));
  }

  @Test
  void whoRightAfterSomeonesJoinedListsThemBeforeTheirArrivalHasComeBackFromTheBroker() {
    FakeClient asker = f.connect();
    FakeClient a = f.connect();
    broker.holdSignals = true;
    f.join(a, "lobby");
    assertEquals(List.of(a.name()), f.who(asker, "lobby"), "listed as soon as its joined went out");

    f.loop.execute(() -> {
      broker.holdSignals = false;
      broker.heldSignals.forEach(broker::signal);
    });
    assertEquals(List.of(a.name()), f.who(asker, "lobby"), "listed once when the arrival comes back");
  }

  @Test
  void theSenderSeesItsAckBeforeItsMessageEvenWhenTheBrokerEchoesItFirst() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    sendWithoutWaiting(a, "lobby", "hi", "c1");
    assertEquals(List.of(1L), b.posted("lobby"), "others get it as soon as it comes back");
    assertEquals(List.of(), a.posted("lobby"), "the sender's copy waits for its ack");
    confirmPublishes();
    List<Event> mine = a.events();
    int ack = indexOf(mine, Event.Ack.class);
    int message = indexOf(mine, Event.Posted.class);
    assertTrue(ack >= 0 && ack < message, "ack first, then the message: " + mine);
  }

  @Test
  void aFailedPublishAnswersUnavailableAndARetryWithTheSameCidDeliversItOnce() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    broker.deliver = false;
    sendWithoutWaiting(a, "lobby", "hi", "c1");
    f.loop.execute(() -> broker.confirmations.get(0).completeExceptionally(new IllegalStateException("broker down")));
    Event.Failure failure = assertInstanceOf(Event.Failure.class, a.events().get(a.events().size() - 1));
    assertEquals(ErrorCode.UNAVAILABLE, failure.code());
    broker.deliver = true;
    sendWithoutWaiting(a, "lobby", "hi", "c1");
    confirmPublishes();
    assertEquals(1L, a.all(Event.Ack.class).get(0).id(), "the retry is acknowledged with the first commit's id");
    assertEquals(List.of(1L), b.posted("lobby"));
    assertEquals(List.of(1L), a.posted("lobby"));
  }

  @Test
  void aPublishLostWithNoLaterMessageIsDeliveredByThePeriodicResync() {
    FakeClient a = f.connect();
    FakeClient b = f.connect();
    f.join(a, "lobby");
    f.join(b, "lobby");
    broker.deliver = false;
    sendWithoutWaiting(a, "lobby", "lost on the way", "c1");
    confirmPublishes(); // the broker said yes, but nobody received it
    assertEquals(List.of(), b.posted("lobby"));
    f.clock.advanceMillis(ChatHub.RESYNC_MILLIS);
    assertEquals(List.of(1L), b.posted("lobby"));
    assertEquals(List.of(1L), a.posted("lobby"));
  }

  private static int indexOf(List<Event> events, Class<? extends Event> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
