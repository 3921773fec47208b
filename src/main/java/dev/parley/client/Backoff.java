package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delays between reconnect attempts: they double from {@code first} up to {@code max}, each spread by
 * a random ±{@code jitter} so that clients cut off together do not all come back at the same instant.
 * {@link #reset} after a connection succeeds.
 */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private final double jitter;
  private final DoubleSupplier random;
  private long nextMillis;

  Backoff(Duration first, Duration max, double jitter, DoubleSupplier random) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("a backoff needs 0 < first <= max and 0 <= jitter < 1");
    }
    this.firstMillis = first.toMillis();
    this.maxMillis = max.toMillis();
    this.jitter = jitter;
    this.random = random;
    this.nextMillis = firstMillis;
  }

  /** 250 ms, 500 ms, 1 s, … up to 10 s, each ±20 %. */
  static Backoff standard() {
    return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 0.2, ThreadLocalRandom.current()::nextDouble);
  }

  /** The delay before the next attempt. */
  Duration next() {
    long base = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    double factor = 1 - jitter + 2 * jitter * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
  }

  void reset() {
    nextMillis = firstMillis;
  }
}
