package dev.parley.bench;

import java.util.Locale;
import java.util.function.Supplier;

/** The progress line of the delivery scenarios: sent, delivered (and per second since the last line), p50/p99 so far. */
final class DeliveryProgress implements Supplier<String> {
  private final Tally tally;
  private long lastArrived;
  private long lastAt = Clock.now();

  DeliveryProgress(Tally tally) {
    this.tally = tally;
  }

  @Override
  public String get() {
    long now = Clock.now();
    long arrived = tally.arrived.sum();
    double perSecond = (arrived - lastArrived) / Math.max(1e-9, (now - lastAt) / 1e9);
    lastArrived = arrived;
    lastAt = now;
    return String.format(Locale.ROOT, "sent %,d, delivered %,d (%,.0f/s), %s", tally.sent.sum(), arrived, perSecond,
        LatencySummary.of(tally.latencies()).brief());
  }
}
