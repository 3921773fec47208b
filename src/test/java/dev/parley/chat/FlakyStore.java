package dev.parley.chat;

import dev.parley.store.Appended;
import dev.parley.store.InMemoryStore;
import dev.parley.store.MessageStore;
import dev.parley.store.NewMessage;
import dev.parley.store.Page;
import dev.parley.store.RoomSummary;
import dev.parley.store.SessionRecord;
import dev.parley.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** An {@link InMemoryStore} that fails or holds back on demand. */
final class FlakyStore implements MessageStore {
  enum AppendFailure {
    /** Appends succeed. */
    NONE,
    /** Appends fail without writing. */
    BEFORE_COMMIT,
    /** Appends write, then report a failure: the outcome the caller sees is unknown. */
    AFTER_COMMIT
  }

  final InMemoryStore delegate = new InMemoryStore();
  AppendFailure appendFailure = AppendFailure.NONE;
  boolean failReads;
  boolean failCreateRoom;
  boolean failGuests;
  boolean failNames;
  /** Operations whose stages wait for {@link #release()} while listed here. */
  final EnumSet<Op> hold = EnumSet.noneOf(Op.class);
  private final List<Runnable> held = new ArrayList<>();

  enum Op {
    /** {@code append} (the write happens when released). */
    APPEND,
    /** {@code before} and {@code range}. */
    MESSAGES,
    /** {@code lastId}, read while a room opens. */
    LAST_ID,
    /** {@code session} and {@code nextGuestNumber}, read while a connection's user loads. */
    USERS,
    /** {@code claimName}. */
    NAMES
  }

  private static <T> CompletionStage<T> failed() {
    return CompletableFuture.failedFuture(new StoreUnavailableException("the test store is down", null));
  }

  /** Stops holding anything and runs every held operation, in the order they were asked for. */
  void release() {
    hold.clear();
    List<Runnable> waiting = List.copyOf(held);
    held.clear();
    waiting.forEach(Runnable::run);
  }

  /** Runs {@code operation} now, or when released if {@code op} is held. */
  private <T> CompletionStage<T> maybeHeld(Op op, Supplier<CompletionStage<T>> operation) {
    if (!hold.contains(op)) {
      return operation.get();
    }
    CompletableFuture<T> later = new CompletableFuture<>();
    held.add(() -> operation.get().whenComplete((v, e) -> {
      if (e != null) {
        later.completeExceptionally(e);
      } else {
        later.complete(v);
      }
    }));
    return later;
  }

  private <T> CompletionStage<T> read(Supplier<CompletionStage<T>> operation) {
    return failReads ? failed() : maybeHeld(Op.MESSAGES, operation);
  }

  @Override
  public CompletionStage<Appended> append(NewMessage message) {
    return maybeHeld(Op.APPEND, () -> {
      switch (appendFailure) {
        case BEFORE_COMMIT:
          return failed();
        case AFTER_COMMIT:
          return delegate.append(message).thenCompose(written -> failed());
        default:
          return delegate.append(message);
      }
    });
  }

  @Override
  public CompletionStage<Void> createRoom(String room) {
    return failCreateRoom ? failed() : delegate.createRoom(room);
  }

  @Override
  public CompletionStage<Long> lastId(String room) {
    return maybeHeld(Op.LAST_ID, () -> delegate.lastId(room));
  }

  @Override
  public CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    return read(() -> delegate.range(room, afterId, upToId, limit));
  }

  @Override
  public CompletionStage<Page> before(String room, long beforeId, int limit) {
    return read(() -> delegate.before(room, beforeId, limit));
  }

  @Override
  public CompletionStage<List<RoomSummary>> rooms() {
    return delegate.rooms();
  }

  @Override
  public CompletionStage<Long> nextGuestNumber() {
    return failGuests ? failed() : maybeHeld(Op.USERS, delegate::nextGuestNumber);
  }

  @Override
  public CompletionStage<Optional<SessionRecord>> session(String sid) {
    return maybeHeld(Op.USERS, () -> delegate.session(sid));
  }

  @Override
  public CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince) {
    return failNames ? failed() : maybeHeld(Op.NAMES, () -> delegate.claimName(sid, name, now, heldSince));
  }

  @Override
  public CompletionStage<Void> touchSession(String sid, long now) {
    return delegate.touchSession(sid, now);
  }

  @Override
  public CompletionStage<byte[]> secret() {
    return delegate.secret();
  }

  @Override
  public CompletionStage<Void> ping() {
    return delegate.ping();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
