package dev.parley.chat;

/**
 * A token bucket that starts full. Callers ask {@link #hasToken()} during their checks and
 * {@link #take()} only once the request is accepted, so refused requests cost nothing.
 * Not thread-safe: each belongs to one connection and is used on the hub's thread.
 */
public final class TokenBucket {
  /** Refills add up in small steps; this keeps rounding from delaying a token that is due. */
  private static final double EPSILON = 1e-9;
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updatedAt;

  /**
   * @param burst how many tokens the bucket holds (and starts with)
   * @param perSecond how many tokens it regains a second; 0 disables the limit
   * @param now the current time in nanoseconds
   */
  public TokenBucket(int burst, double perSecond, long now) {
    this.capacity = burst;
    this.perNano = perSecond / 1e9;
    this.tokens = burst;
    this.updatedAt = now;
  }

  private boolean unlimited() {
    return perNano == 0;
  }

  public boolean hasToken(long now) {
    if (unlimited()) {
      return true;
    }
    refill(now);
    return tokens >= 1 - EPSILON;
  }

  public void take(long now) {
    if (unlimited()) {
      return;
    }
    refill(now);
    tokens -= 1;
  }

  /** Gives back a token taken for a request that was refused after all (e.g. the store failed). */
  public void refund() {
    if (!unlimited()) {
      tokens = Math.min(capacity, tokens + 1);
    }
  }

  /** Whether the bucket has regained every token, i.e. it has been idle long enough to forget. */
  public boolean isFull(long now) {
    if (unlimited()) {
      return true;
    }
    refill(now);
    return tokens >= capacity - EPSILON;
  }

  private void refill(long now) {
    long elapsed = now - updatedAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      updatedAt = now;
    }
  }
}
