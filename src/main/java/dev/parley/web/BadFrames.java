package dev.parley.web;

/**
 * Counts a connection's malformed frames in a sliding window. The window's memory is taken at
 * the first malformed frame: most connections never send one.
 */
final class BadFrames {
  private static final long[] NONE = new long[0];
  private final int allowed;
  private long[] times = NONE;
  private final long windowNanos;
  private int next;
  private int count;

  /**
   * @param allowed how many malformed frames are answered within the window; one more closes
   * @param windowNanos the window's length
   */
  BadFrames(int allowed, long windowNanos) {
    this.allowed = allowed;
    this.windowNanos = windowNanos;
  }

  /** Records a malformed frame; {@code true} when it is one too many for the window. */
  boolean tooMany(long now) {
    if (allowed == 0) {
      return true;
    }
    if (times == NONE) {
      times = new long[allowed];
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
