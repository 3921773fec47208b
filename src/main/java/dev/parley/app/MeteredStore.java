package dev.parley.app;

import dev.parley.chat.Message;
import dev.parley.store.Appended;
import dev.parley.store.MessageStore;
import dev.parley.store.NewMessage;
import dev.parley.store.Page;
import dev.parley.store.RoomSummary;
import dev.parley.store.SessionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A store decorator that times every call, by operation and outcome, for {@code /metrics}. */
final class MeteredStore implements MessageStore {
  private final MessageStore store;
  private final MeterRegistry registry;

  MeteredStore(MessageStore store, MeterRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  private <T> CompletionStage<T> timed(String operation, Supplier<CompletionStage<T>> call) {
    long start = System.nanoTime();
    return call.get().whenComplete((result, failure) -> Timer.builder("parley.store.latency")
        .description("Time from a store call to its completion")
        .tag("operation", operation)
        .tag("outcome", failure == null ? "ok" : "failed")
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  @Override
  public CompletionStage<Appended> append(NewMessage message) {
    return timed("append", () -> store.append(message));
  }

  @Override
  public CompletionStage<Void> createRoom(String room) {
    return timed("createRoom", () -> store.createRoom(room));
  }

  @Override
  public CompletionStage<Long> lastId(String room) {
    return timed("lastId", () -> store.lastId(room));
  }

  @Override
  public CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    return timed("range", () -> store.range(room, afterId, upToId, limit));
  }

  @Override
  public CompletionStage<Page> before(String room, long beforeId, int limit) {
    return timed("before", () -> store.before(room, beforeId, limit));
  }

  @Override
  public CompletionStage<List<RoomSummary>> rooms() {
    return timed("rooms", store::rooms);
  }

  @Override
  public CompletionStage<Long> nextGuestNumber() {
    return timed("nextGuestNumber", store::nextGuestNumber);
  }

  @Override
  public CompletionStage<Optional<SessionRecord>> session(String sid) {
    return timed("session", () -> store.session(sid));
  }

  @Override
  public CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince) {
    return timed("claimName", () -> store.claimName(sid, name, now, heldSince));
  }

  @Override
  public CompletionStage<Void> touchSession(String sid, long now) {
    return timed("touchSession", () -> store.touchSession(sid, now));
  }

  @Override
  public CompletionStage<byte[]> secret() {
    return store.secret();
  }

  @Override
  public CompletionStage<Void> ping() {
    return timed("ping", store::ping);
  }

  @Override
  public void close() {
    store.close();
  }
}
