package dev.parley.store;

import dev.parley.chat.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The message store: the single source of truth for messages, rooms, sessions and the guest
 * counter.
 *
 * <p><b>Durability.</b> A stage completes successfully only after what it wrote is committed
 * (on a persistent adapter, it survives {@code kill -9} of the process). A failed stage means
 * the write may or may not have happened; a retry of an append with the same
 * (room, sender, cid) is safe either way.
 *
 * <p><b>Ordering.</b> Within a room, {@link #append} assigns ids 1, 2, 3, … in commit order,
 * with no gap and no reuse, across every process sharing the store and across restarts.
 * Stages of appends to one room complete in id order when they come from one process.
 *
 * <p><b>Threading.</b> Every method returns at once and never blocks its caller; blocking
 * work runs on the adapter's own threads, and stages complete on them. Callers hop back to
 * their own thread. All methods may be called from any thread.
 */
public interface MessageStore extends AutoCloseable {

  /** Commits a message with the room's next id, creating the room if needed. Idempotent per (room, sender, cid). */
  CompletionStage<Appended> append(NewMessage message);

  /** Creates the room if it does not exist yet. */
  CompletionStage<Void> createRoom(String room);

  /** The id of the room's newest message; 0 when it has none or does not exist. */
  CompletionStage<Long> lastId(String room);

  /** Messages with {@code afterId < id <= upToId}, oldest first, at most {@code limit} of the oldest. */
  CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit);

  /** The newest {@code limit} messages with id below {@code beforeId}, oldest first, and whether older ones exist. */
  CompletionStage<Page> before(String room, long beforeId, int limit);

  /** Every room that exists, by name. */
  CompletionStage<List<RoomSummary>> rooms();

  /** A number for the next guest name; never the same twice. */
  CompletionStage<Long> nextGuestNumber();

  /** The session, if one was stored. */
  CompletionStage<Optional<SessionRecord>> session(String sid);

  /**
   * Gives a name to a session and records it as seen at {@code now}, unless another session
   * seen at or after {@code heldSince} holds the same name, compared case-insensitively.
   * With {@code sid == null} only checks. Completes with whether the name is now free for the caller.
   */
  CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince);

  /** Records that the session was seen at {@code now}. */
  CompletionStage<Void> touchSession(String sid, long now);

  /** The secret that signs session cookies, created on first use, the same for every process sharing the store. */
  CompletionStage<byte[]> secret();

  /** Completes when the store answers; fails naming the cause when it does not. */
  CompletionStage<Void> ping();

  /** Releases the store's threads and connections after finishing the writes already accepted. */
  @Override
  void close();
}
