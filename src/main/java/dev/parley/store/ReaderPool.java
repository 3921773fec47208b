package dev.parley.store;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

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
  private final Predicate<Throwable> connectionLoss;
  private final ThreadPoolExecutor executor;
  private final ThreadLocal<CachedConnection> connections = new ThreadLocal<>();

  /**
   * @param connectionLoss tells a lost connection, after which a read is retried once on a
   *     new one (reads are idempotent; a database restart then fails no read)
   */
  ReaderPool(String storeName, String threadPrefix, int size, ConnectionFactory factory,
      Predicate<Throwable> connectionLoss) {
    this.storeName = storeName;
    this.factory = factory;
    this.connectionLoss = connectionLoss;
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
        boolean reused = connections.get() != null;
        try {
          result.complete(read.run(connection()));
        } catch (SQLException | RuntimeException e) {
          drop();
          Exception failure = e;
          if (reused && connectionLoss.test(e)) {
            try {
              result.complete(read.run(connection()));
              return;
            } catch (SQLException | RuntimeException again) {
              drop();
              failure = again;
            }
          }
          result.completeExceptionally(new StoreUnavailableException(storeName + ": " + failure.getMessage(), failure));
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
