package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Bounded waits shared by the adapter tests. */
final class Waits {
  static final long WAIT_MILLIS = 10_000;

  private Waits() {}

  /** The stage's value, waiting up to 10 s; its failure's cause is thrown as is. */
  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Whether the stage succeeds within 10 s. */
  static boolean succeeds(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Polls the condition every 20 ms until it holds, failing after 10 s. */
  static void eventually(String what, Callable<Boolean> condition) throws Exception {
    eventually(what, WAIT_MILLIS, condition);
  }

  /** Polls the condition every 20 ms until it holds, failing after {@code millis}. */
  static void eventually(String what, long millis, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + millis + " ms: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
