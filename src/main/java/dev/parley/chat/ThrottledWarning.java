package dev.parley.chat;

import org.slf4j.Logger;

/**
 * A warning that can happen thousands of times a second (every publish while the broker is
 * overloaded): the first is logged, then at most one line per interval, with how many were
 * left out. Confined to the hub's thread.
 */
final class ThrottledWarning {
  private final Logger log;
  private final long intervalMillis;
  private long lastLogged = Long.MIN_VALUE;
  private long suppressed;

  ThrottledWarning(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  void report(long now, String words) {
    if (lastLogged != Long.MIN_VALUE && now - lastLogged < intervalMillis) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn("{} (and {} more like it in the last {} s)", words, suppressed, (now - lastLogged) / 1000);
    } else {
      log.warn(words);
    }
    lastLogged = now;
    suppressed = 0;
  }
}
