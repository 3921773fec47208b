package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reconnect delays double up to a ceiling, with jitter, and start over after a success. */
@Timeout(60)
class BackoffTest {
  private static List<Long> delays(Backoff backoff, int n) {
    return Stream.generate(backoff::next).limit(n).map(Duration::toMillis).toList();
  }

  @Test
  void delaysDoubleUpToTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 0.2, () -> 0.5);
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 2000L), delays(backoff, 5));
  }

  @Test
  void jitterSpreadsEachDelayBothWays() {
    assertEquals(List.of(200L, 400L), delays(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 0.2, () -> 0.0), 2));
    assertEquals(List.of(300L, 600L), delays(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 0.2, () -> 1.0), 2));
  }

  @Test
  void resetStartsAgainFromTheFirstDelay() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0, () -> 0.5);
    delays(backoff, 4);
    backoff.reset();
    assertEquals(List.of(100L), delays(backoff, 1));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0, () -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, () -> 0));
  }
}
