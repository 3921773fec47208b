package dev.parley.store;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One write waiting for the next group commit, with what it will lock: the room of an
 * append, the name of a claim. The batch takes those locks up front in one global order, so
 * two processes committing batches at once cannot deadlock on them.
 */
final class Write<T> {

  /** The work of a write, run inside the batch's transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Batch batch) throws SQLException;
  }

  final Work<T> work;
  final NewMessage append;
  final String nameKey;
  final CompletableFuture<T> result = new CompletableFuture<>();

  private Write(Work<T> work, NewMessage append, String nameKey) {
    this.work = work;
    this.append = append;
    this.nameKey = nameKey;
  }

  static Write<Appended> append(NewMessage message) {
    return new Write<>(batch -> batch.append(message), message, null);
  }

  static <T> Write<T> claim(String nameKey, Work<T> work) {
    return new Write<>(work, null, nameKey);
  }

  static <T> Write<T> of(Work<T> work) {
    return new Write<>(work, null, null);
  }
}
