package dev.parley.chat;

/**
 * Timers for the hub. Tasks run on the hub's thread, like everything else the hub does.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delayMillis}; the returned handle cancels it. */
  Runnable schedule(long delayMillis, Runnable task);

  /** The wall clock in epoch milliseconds. */
  long now();

  /** A monotonic clock in nanoseconds, for rate limits. */
  long nanoTime();
}
