package dev.parley.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Sustained acknowledged appends per second with 1, 10 and 100 concurrent senders, each
 * waiting for its ack before sending the next (as a chat client does), on SQLite (default
 * and {@code synchronous=FULL}) and, when {@code PARLEY_TEST_PG_URL} is set, PostgreSQL.
 * Acks hop to two "event loop" threads before the next send, as they would in the server.
 * Not a test (surefire skips *Bench); run it with:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * PARLEY_TEST_PG_URL='jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres' \
 *   java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.parley.store.StoreThroughputBench [seconds [sqlite|postgres]]
 * </pre>
 */
public final class StoreThroughputBench {
  private static final int[] SENDERS = {1, 10, 100};
  private static final String TEXT = "a chat message of about the usual length, with a few words in it: hello there!";

  private StoreThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String only = args.length > 1 ? args[1] : ""; // "sqlite" or "postgres" to run one kind
    System.out.printf("%-22s %8s %12s %9s %9s %9s%n", "store", "senders", "acked/s", "p50 ms", "p99 ms", "max ms");
    if (!only.equals("postgres")) {
      run("SQLite (NORMAL, WAL)", seconds, () -> new SqliteStore(tempDir(), false));
      run("SQLite (FULL, WAL)", seconds, () -> new SqliteStore(tempDir(), true));
    }
    String pg = PostgresDatabase.adminUrlFromEnv();
    if (only.equals("sqlite")) {
      return;
    } else if (pg == null) {
      System.out.println("(PostgreSQL skipped: set " + PostgresDatabase.ENV + ")");
    } else {
      try (PostgresDatabase db = new PostgresDatabase(pg)) {
        run("PostgreSQL", seconds, () -> {
          try {
            return new PostgresStore(db.newSchemaUrl());
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("parley-bench");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String label, int seconds, Supplier<MessageStore> stores) throws Exception {
    for (int senders : SENDERS) {
      try (MessageStore store = stores.get()) {
        Result r = measure(store, senders, seconds);
        System.out.printf("%-22s %8d %12.0f %9.2f %9.2f %9.2f%n", label, senders, r.perSecond, r.p50, r.p99, r.max);
      }
    }
  }

  private record Result(double perSecond, double p50, double p99, double max) {}

  private static Result measure(MessageStore store, int senders, int seconds) throws Exception {
    ExecutorService loops = Executors.newFixedThreadPool(2);
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    AtomicLongArray latencies = new AtomicLongArray(20_000_000);
    AtomicInteger count = new AtomicInteger();
    AtomicInteger running = new AtomicInteger(senders);
    for (int s = 0; s < senders; s++) {
      send(store, loops, s, 0, measuring, stop, latencies, count, running);
    }
    Thread.sleep(1_000); // warm up: JIT, connections, page cache
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    measuring.set(false);
    int n = Math.min(count.get(), latencies.length());
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    while (running.get() > 0) {
      Thread.sleep(10);
    }
    loops.shutdown();
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = latencies.get(i);
    }
    Arrays.sort(sorted);
    return new Result(n / elapsed, ms(sorted, 0.50), ms(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
  }

  private static void send(MessageStore store, ExecutorService loops, int sender, long seq, AtomicBoolean measuring,
      AtomicBoolean stop, AtomicLongArray latencies, AtomicInteger count, AtomicInteger running) {
    if (stop.get()) {
      running.decrementAndGet();
      return;
    }
    long t0 = System.nanoTime();
    store.append(new NewMessage("room" + (sender % 10), "sender" + sender, "c" + seq, "user" + sender, TEXT,
            System.currentTimeMillis()))
        .whenCompleteAsync((a, failure) -> {
          if (failure != null) {
            failure.printStackTrace();
            running.decrementAndGet();
            return;
          }
          if (measuring.get()) {
            int i = count.getAndIncrement();
            if (i < latencies.length()) {
              latencies.set(i, System.nanoTime() - t0);
            }
          }
          send(store, loops, sender, seq + 1, measuring, stop, latencies, count, running);
        }, loops);
  }
}
