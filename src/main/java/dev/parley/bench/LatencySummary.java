package dev.parley.bench;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in microseconds, in milliseconds. */
record LatencySummary(long count, double p50, double p90, double p99, double p999, double max) {

  static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /** Puts the percentiles into a report as {@code p50_ms}, … {@code max_ms}. */
  void into(Report report) {
    report.put("p50_ms", p50).put("p90_ms", p90).put("p99_ms", p99).put("p999_ms", p999).put("max_ms", max);
  }

  /** One phrase for a progress line: {@code p50 1.20 ms, p99 8.45 ms}. */
  String brief() {
    return count == 0 ? "no latencies yet" : "p50 " + Report.number(p50) + " ms, p99 " + Report.number(p99) + " ms";
  }
}
