package dev.parley.web;

/** Counts a connection's malformed frames in a sliding window. */
final class BadFrames {
  private final long[] times;
  private final long windowNanos;
  private int next;
  private int count;

  /**
   * @param allowed how many malformed frames are answered within the window; one more closes
   * @param windowNanos the window's length
   */
  BadFrames(int allowed, long windowNanos) {
    this.times = new long[allowed];
    this.windowNanos = windowNanos;
  }

  /** Records a malformed frame; {@code true} when it is one too many for the window. */
  boolean tooMany(long now) {
    if (times.length == 0) {
      return true;
    }
    if (count == times.length) {
      long oldest = times[next];
      if (now - oldest < windowNanos) {
        return true;
      }
    } else {
      count++;
    }
    times[next] = now;
    next = (next + 1) % times.length;
    return false;
  }
}
