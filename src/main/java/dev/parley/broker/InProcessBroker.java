package dev.parley.broker;

import dev.parley.chat.Message;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The broker of a single node: a publish reaches the sink at once, on the publisher's thread. */
public final class InProcessBroker implements Broker {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private volatile Consumer<Message> sink = m -> {};
  private volatile Consumer<Signal> signals = s -> {};

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
    if (signal.room() == null || rooms.contains(signal.room())) {
      signals.accept(signal);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> subscribe(String room) {
    rooms.add(room);
    return DONE;
  }

  @Override
  public CompletionStage<Void> unsubscribe(String room) {
    rooms.remove(room);
    return DONE;
  }

  @Override
  public CompletionStage<Void> publish(Message message) {
    if (rooms.contains(message.room())) {
      sink.accept(message);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> ping() {
    return DONE;
  }

  @Override
  public void close() {}
}
