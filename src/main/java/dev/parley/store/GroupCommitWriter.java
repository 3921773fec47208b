package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes, by group commit: it takes everything queued (up to
 * {@link #MAX_BATCH} writes), runs it in one transaction, commits, and only then completes
 * the stages, in queue order, on a separate completion thread so that callers' callbacks
 * never delay the next commit. One commit (one fsync on PostgreSQL) thus serves every
 * message that arrived while the previous one ran: the busier the store, the bigger the
 * batches, and the cost per message falls as load rises.
 *
 * <p>A failed batch is rolled back and all its stages fail with
 * {@link StoreUnavailableException}; the connection is dropped and the next batch opens a
 * new one, so the writer recovers by itself when the database comes back. A batch that
 * failed on a lost connection before its commit was sent is retried once on a fresh one
 * (a PostgreSQL restart then costs no failed sends). The thread never dies of a failure.
 */
final class GroupCommitWriter implements AutoCloseable {
  static final int MAX_BATCH = 1000;
  private static final int MAX_QUEUED = 100_000;
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final Write<Void> STOP = Write.of(b -> null);

  private final String storeName;
  private final ConnectionFactory factory;
  private final Dialect dialect;
  private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final ExecutorService completer;
  private final Thread thread;
  private final Object closeLock = new Object();
  private boolean closed;
  private CachedConnection connection;
  private boolean failing;

  GroupCommitWriter(String storeName, String threadPrefix, ConnectionFactory factory, Dialect dialect) {
    this.storeName = storeName;
    this.factory = factory;
    this.dialect = dialect;
    this.completer = Executors.newSingleThreadExecutor(r -> daemon(r, threadPrefix + "-complete"));
    this.thread = daemon(this::run, threadPrefix + "-writer");
    this.thread.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Queues a write for the next batch; the stage completes after that batch commits. */
  <T> CompletionStage<T> submit(Write<T> write) {
    boolean queued;
    synchronized (closeLock) {
      queued = !closed && queue.offer(write);
    }
    if (!queued) {
      write.result.completeExceptionally(new StoreUnavailableException(
          storeName + (closed ? ": closed" : ": too many writes waiting"), null));
    }
    return write.result;
  }

  private void run() {
    List<Write<?>> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() ends the writer, after the writes already accepted
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch = new ArrayList<>(MAX_BATCH);
    }
    dropConnection();
    completer.shutdown();
  }

  private void commit(List<Write<?>> writes) {
    Object[] results = new Object[writes.size()];
    Throwable failure = null;
    for (int attempt = 0; ; attempt++) {
      boolean reused = connection != null;
      boolean committing = false;
      try {
        CachedConnection c = connection();
        Batch batch = new Batch(c, dialect);
        batch.lock(writes);
        for (int i = 0; i < results.length; i++) {
          results[i] = writes.get(i).work.run(batch);
        }
        batch.flush();
        committing = true;
        c.connection().commit();
        failure = null;
        break;
      } catch (Throwable e) { // keep the writer alive whatever went wrong
        failure = e;
        dropConnection();
        if (!(attempt == 0 && reused && !committing && dialect.isConnectionLoss(e))) {
          break;
        }
      }
    }
    logTransition(failure);
    complete(writes, results, failure);
  }

  private void logTransition(Throwable failure) {
    if (failure != null && !failing) {
      log.warn("{}: writes fail: {}", storeName, failure.toString());
    } else if (failure == null && failing) {
      log.info("{}: writes succeed again", storeName);
    }
    failing = failure != null;
  }

  @SuppressWarnings("unchecked")
  private void complete(List<Write<?>> writes, Object[] results, Throwable failure) {
    Runnable completion = () -> {
      for (int i = 0; i < results.length; i++) {
        Write<Object> w = (Write<Object>) writes.get(i);
        if (failure == null) {
          w.result.complete(results[i]);
        } else {
          w.result.completeExceptionally(new StoreUnavailableException(
              storeName + ": " + failure.getMessage(), failure));
        }
      }
    };
    try {
      completer.execute(completion);
    } catch (RuntimeException e) {
      completion.run();
    }
  }

  private CachedConnection connection() throws SQLException {
    if (connection == null) {
      Connection raw = factory.open();
      try {
        raw.setAutoCommit(false);
      } catch (SQLException e) {
        raw.close();
        throw e;
      }
      connection = new CachedConnection(raw);
    }
    return connection;
  }

  /** Rolls back whatever the broken batch did and forgets the connection. */
  private void dropConnection() {
    if (connection != null) {
      try {
        connection.connection().rollback();
      } catch (SQLException | RuntimeException ignored) {
        // closing discards the transaction anyway
      }
      connection.close();
      connection = null;
    }
  }

  /** Commits everything accepted so far, completes its stages, then stops. New writes fail. */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      while (!queue.offer(STOP)) {
        Thread.onSpinWait(); // the queue is full: wait for the writer to make room
      }
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      completer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
