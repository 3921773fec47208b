package dev.parley.bench;

/** The generator's one clock: monotonic nanoseconds since the generator started (never negative). */
final class Clock {
  private static final long ORIGIN = System.nanoTime();

  private Clock() {
  }

  static long now() {
    return System.nanoTime() - ORIGIN;
  }

  /** Sleeps (this is a load generator's main thread, not an event loop) until {@code deadline}. */
  static void sleepUntil(long deadline) throws InterruptedException {
    for (long left = deadline - now(); left > 0; left = deadline - now()) {
      Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 100)));
    }
  }
}
