package dev.parley.testing;

import dev.parley.chat.Message;
import dev.parley.store.Appended;
import dev.parley.store.InMemoryStore;
import dev.parley.store.MessageStore;
import dev.parley.store.NewMessage;
import dev.parley.store.Page;
import dev.parley.store.RoomSummary;
import dev.parley.store.SessionRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InMemoryStore} whose appends a test can hold back: while held, an append is
 * neither written nor answered until {@link #releaseAppends()}, so a send stays "received but
 * not yet committed" for exactly as long as the test wants. Everything else answers at once.
 */
public final class HeldAppendStore implements MessageStore {
  private final InMemoryStore delegate = new InMemoryStore();
  private final CompletableFuture<NewMessage> firstHeld = new CompletableFuture<>();
  private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  /** From now on, appends wait for {@link #releaseAppends()}. */
  public synchronized void holdAppends() {
    if (gate.isDone()) {
      gate = new CompletableFuture<>();
    }
  }

  /** Writes and answers every held append, in the order they arrived, and stops holding. */
  public void releaseAppends() {
    CompletableFuture<Void> opened;
    synchronized (this) {
      opened = gate;
    }
    opened.complete(null);
  }

  /** The first append that reached the store while held, waiting at most {@link WsClient#WAIT}. */
  public NewMessage awaitHeldAppend() {
    try {
      return firstHeld.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no append reached the store within " + WsClient.WAIT, e);
    }
  }

  @Override
  public CompletionStage<Appended> append(NewMessage message) {
    CompletableFuture<Void> waitFor;
    synchronized (this) {
      waitFor = gate;
    }
    if (!waitFor.isDone()) {
      firstHeld.complete(message);
    }
    // Chained stages run in the order they were added, so held appends keep their arrival order.
    return waitFor.thenCompose(v -> delegate.append(message));
  }

  @Override
  public CompletionStage<Void> createRoom(String room) {
    return delegate.createRoom(room);
  }

  @Override
  public CompletionStage<Long> lastId(String room) {
    return delegate.lastId(room);
  }

  @Override
  public CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    return delegate.range(room, afterId, upToId, limit);
  }

  @Override
  public CompletionStage<Page> before(String room, long beforeId, int limit) {
    return delegate.before(room, beforeId, limit);
  }

  @Override
  public CompletionStage<List<RoomSummary>> rooms() {
    return delegate.rooms();
  }

  @Override
  public CompletionStage<Long> nextGuestNumber() {
    return delegate.nextGuestNumber();
  }

  @Override
  public CompletionStage<Optional<SessionRecord>> session(String sid) {
    return delegate.session(sid);
  }

  @Override
  public CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince) {
    return delegate.claimName(sid, name, now, heldSince);
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
