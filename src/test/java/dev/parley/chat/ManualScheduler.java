package dev.parley.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A fake clock: time moves only when a test advances it, and timers due by then run (on the
 * given executor, like Vert.x timers that fire on the hub's context), in due order.
 */
final class ManualScheduler implements Scheduler {
  /** An arbitrary, non-zero origin: monotonic clocks do not start at 0. */
  private static final long NANO_ORIGIN = 7_000_000_000_000L;
  private static final long EPOCH_ORIGIN = 1_764_090_000_000L;

  private final Executor executor;
  private final List<Timer> timers = new ArrayList<>();
  private long nanos = NANO_ORIGIN;
  private long sequence;

  private static final class Timer {
    final long due;
    final long order;
    final Runnable task;
    boolean cancelled;

    Timer(long due, long order, Runnable task) {
      this.due = due;
      this.order = order;
      this.task = task;
    }
  }

  ManualScheduler(Executor executor) {
    this.executor = executor;
  }

  @Override
  public Runnable schedule(long delayMillis, Runnable task) {
    Timer timer = new Timer(nanos + Math.max(1, delayMillis) * 1_000_000L, sequence++, task);
    timers.add(timer);
    return () -> timer.cancelled = true;
  }

  @Override
  public long now() {
    return EPOCH_ORIGIN + (nanos - NANO_ORIGIN) / 1_000_000L;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  /** Moves the clock on, running every timer that falls due on the way. */
  void advanceMillis(long millis) {
    advanceNanos(millis * 1_000_000L);
  }

  void advanceNanos(long delta) {
    long target = nanos + delta;
    while (true) {
      Timer next = timers.stream().filter(t -> !t.cancelled && t.due <= target)
          .min(Comparator.<Timer>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
      if (next == null) {
        break;
      }
      timers.remove(next);
      nanos = Math.max(nanos, next.due);
      executor.execute(next.task);
    }
    nanos = target;
    timers.removeIf(t -> t.cancelled);
  }

  /** How many timers are waiting. */
  int pending() {
    return (int) timers.stream().filter(t -> !t.cancelled).count();
  }
}
