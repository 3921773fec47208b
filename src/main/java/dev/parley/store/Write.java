package dev.parley.store;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One write waiting for the next group commit, with what it will lock: the room of an
 * append; the name and the session of a claim or touch; the guest counter. The batch takes
 * all of those locks up front, in one global order (rooms, then keys, then the counter), so
 * that two processes committing batches at once cannot deadlock on them.
 */
final class Write<T> {

  /** The work of a write, run inside the batch's transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Batch batch) throws SQLException;
  }

  final Work<T> work;
  final NewMessage append;
  final List<String> lockKeys;
  final boolean counter;
  final CompletableFuture<T> result = new CompletableFuture<>();

  private Write(Work<T> work, NewMessage append, List<String> lockKeys, boolean counter) {
    this.work = work;
    this.append = append;
    this.lockKeys = lockKeys;
    this.counter = counter;
  }

  static Write<Appended> append(NewMessage message) {
    return new Write<>(batch -> batch.append(message), message, List.of(), false);
  }

  /** A write to a session's row that may also take a name (by its case-insensitive key). */
  static <T> Write<T> session(String sid, String nameKey, Work<T> work) {
    return new Write<>(work, null, nameKey == null ? List.of("sid:" + sid) : List.of("name:" + nameKey, "sid:" + sid),
        false);
  }

  /** A write that takes the next value of the guest counter. */
  static <T> Write<T> counter(Work<T> work) {
    return new Write<>(work, null, List.of(), true);
  }

  static <T> Write<T> of(Work<T> work) {
    return new Write<>(work, null, List.of(), false);
  }
}
