package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class TokenBucketTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 123_456_789_000L;

  private static void drain(TokenBucket bucket, int tokens, long now) {
    for (int i = 0; i < tokens; i++) {
      assertTrue(bucket.hasToken(now), "token " + (i + 1) + " of " + tokens);
      bucket.take(now);
    }
  }

  @Test
  void itStartsFullAndRefusesOnceEmpty() {
    TokenBucket bucket = new TokenBucket(3, 1, T0);
    assertTrue(bucket.isFull(T0));
    drain(bucket, 3, T0);
    assertFalse(bucket.hasToken(T0));
    assertFalse(bucket.isFull(T0));
  }

  @Test
  void askingForATokenDoesNotTakeIt() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    for (int i = 0; i < 5; i++) {
      assertTrue(bucket.hasToken(T0));
    }
    bucket.take(T0);
    assertFalse(bucket.hasToken(T0));
  }

  @Test
  void itRefillsAtItsRate() {
    TokenBucket bucket = new TokenBucket(2, 2, T0);
    drain(bucket, 2, T0);
    assertFalse(bucket.hasToken(T0 + 499 * MS));
    assertTrue(bucket.hasToken(T0 + 500 * MS));
    bucket.take(T0 + 500 * MS);
    assertFalse(bucket.hasToken(T0 + 999 * MS));
    assertTrue(bucket.hasToken(T0 + 1000 * MS));
  }

  @Test
  void itNeverHoldsMoreThanItsBurst() {
    TokenBucket bucket = new TokenBucket(3, 10, T0);
    drain(bucket, 3, T0);
    long later = T0 + 3_600_000 * MS;
    assertTrue(bucket.isFull(later));
    drain(bucket, 3, later);
    assertFalse(bucket.hasToken(later));
  }

  @Test
  void isFullOnlyOnceEveryTokenIsBack() {
    TokenBucket bucket = new TokenBucket(2, 1, T0);
    drain(bucket, 2, T0);
    assertFalse(bucket.isFull(T0 + 1000 * MS), "one of two tokens back");
    assertTrue(bucket.hasToken(T0 + 1000 * MS));
    assertTrue(bucket.isFull(T0 + 2000 * MS));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 20})
  void aRateOfZeroMeansNoLimit(int burst) {
    TokenBucket bucket = new TokenBucket(burst, 0, T0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(bucket.hasToken(T0));
      bucket.take(T0);
    }
    assertTrue(bucket.isFull(T0));
  }

  @Test
  void aNegativeNanoTimeOriginWorks() {
    long origin = -9_000_000_000_000_000L; // System.nanoTime() may be negative
    TokenBucket bucket = new TokenBucket(1, 1, origin);
    drain(bucket, 1, origin);
    assertFalse(bucket.hasToken(origin + 999 * MS));
    assertTrue(bucket.hasToken(origin + 1000 * MS));
  }

  @Test
  void aClockThatStepsBackDoesNotAddTokens() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    drain(bucket, 1, T0);
    assertFalse(bucket.hasToken(T0 - 5000 * MS));
    assertFalse(bucket.hasToken(T0 + 999 * MS));
  }

  @Test
  void frequentPollingDoesNotDelayTheRefill() {
    // A refused client that keeps asking must get its token exactly when a quiet one would.
    TokenBucket bucket = new TokenBucket(1, 2, T0);
    drain(bucket, 1, T0);
    for (long t = 50; t < 500; t += 50) {
      assertFalse(bucket.hasToken(T0 + t * MS), "at " + t + " ms");
    }
    assertTrue(bucket.hasToken(T0 + 500 * MS), "a rate of 2 per second gives a token after 500 ms");
  }
}
