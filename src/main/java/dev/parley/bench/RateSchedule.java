package dev.parley.bench;

/**
 * An open-loop schedule: message {@code k} (from 0) is meant to leave at
 * {@code start + k / rate}, whether or not the server kept up with the ones before it.
 */
final class RateSchedule {
  private final double periodNanos;
  private final long start;

  RateSchedule(double perSecond, long start) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    this.periodNanos = 1e9 / perSecond;
    this.start = start;
  }

  /** The intended send time of message {@code k}. */
  long at(long k) {
    return start + (long) (k * periodNanos);
  }

  /** How many messages are meant to have left by {@code time} (messages 0 … n-1). */
  long dueBy(long time) {
    if (time < start) {
      return 0;
    }
    long n = (long) ((time - start) / periodNanos) + 1;
    while (n > 0 && at(n - 1) > time) {
      n--;
    }
    while (at(n) <= time) {
      n++;
    }
    return n;
  }
}
