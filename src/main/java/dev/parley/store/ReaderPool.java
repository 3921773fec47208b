package dev.parley.store;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads for reads, each with a connection of its own, opened on first use and
 * replaced after a failure. Reads never wait behind the writer's batches: SQLite in WAL mode
 * and PostgreSQL both let readers run beside a writer. Stages complete on these threads.
 */
final class ReaderPool implements AutoCloseable {

  /** A read on the calling thread's connection. */
  @FunctionalInterface
  interface Read<T> {
    T run(CachedConnection connection) throws SQLException;
  }

  private final String storeName;
  private final ConnectionFactory factory;
  private final ThreadPoolExecutor executor;
  private final ThreadLocal<CachedConnection> connections = new ThreadLocal<>();

  ReaderPool(String storeName, String threadPrefix, int size, ConnectionFactory factory) {
    this.storeName = storeName;
    this.factory = factory;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        worker -> {
          Thread t = new Thread(() -> {
            try {
              worker.run();
            } finally {
              drop();
            }
          }, threadPrefix + "-reader-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  <T> CompletionStage<T> submit(Read<T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          result.complete(read.run(connection()));
        } catch (SQLException | RuntimeException e) {
          drop();
          result.completeExceptionally(new StoreUnavailableException(storeName + ": " + e.getMessage(), e));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new StoreUnavailableException(storeName + ": closed", e));
    }
    return result;
  }

  private CachedConnection connection() throws SQLException {
    CachedConnection c = connections.get();
    if (c == null) {
      c = new CachedConnection(factory.open());
      connections.set(c);
    }
    return c;
  }

  /** Forgets this thread's connection so the next read opens a fresh one. */
  private void drop() {
    CachedConnection c = connections.get();
    if (c != null) {
      connections.remove();
      c.close();
    }
  }

  /** Finishes the reads already queued, then closes the connections. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
