package dev.parley.bench;

/** The part of a delivery scenario's report that fanout and chat share: counts, loss and latency. */
final class Deliveries {
  private Deliveries() {
  }

  /** Waits (at most {@code drainNanos}) for the measured messages' deliveries still under way. */
  static void drain(Tally tally, long drainNanos) throws InterruptedException {
    long end = Clock.now() + drainNanos;
    while (tally.delivered.sum() < tally.expected.sum() && Clock.now() < end) {
      Thread.sleep(10);
    }
  }

  static void into(Report report, Tally tally, double durationSeconds) {
    long delivered = tally.delivered.sum();
    long expected = tally.expected.sum();
    report.put("sent", tally.sentMeasured.sum())
        .put("msgs_per_s", Report.round(tally.sentMeasured.sum() / durationSeconds, 1))
        .put("expected_deliveries", expected)
        .put("delivered", delivered)
        .put("deliveries_per_s", Report.round(delivered / durationSeconds, 1))
        .put("lost", expected - delivered)
        .put("duplicates", tally.duplicates.sum())
        .put("errors", tally.errors.sum())
        .put("closed_during_run", tally.closedCount());
    if (tally.closedCount() > 0) {
      report.put("close_codes", tally.closes().toString());
    }
    LatencySummary.of(tally.latencies()).into(report);
  }
}
