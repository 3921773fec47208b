package dev.parley.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the connections of one run observed, shared by all event loops: delivery counts, the
 * latency histogram and the measurement window.
 *
 * <p>A message is <em>measured</em> when its intended send time falls in the window; warm-up
 * messages before it and stragglers after it are counted as arrivals but not in the results.
 * Latency is recorded in microseconds, from the intended send time to arrival.
 */
final class Tally {
  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private Histogram interval;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  /** Every stamped delivery, measured or not, duplicates included. */
  final LongAdder arrived = new LongAdder();
  /** Deliveries of measured messages, each (socket, message) once. */
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  /** Messages sent, all of them. */
  final LongAdder sent = new LongAdder();
  /** Measured messages sent. */
  final LongAdder sentMeasured = new LongAdder();
  /** Deliveries the measured messages should make (each one times its room's size). */
  final LongAdder expected = new LongAdder();
  final LongAdder acks = new LongAdder();
  final LongAdder errors = new LongAdder();
  /** Connections that closed during the run, by close code (-1: no close frame). */
  private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  void window(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  boolean measured(long intendedNanos) {
    return intendedNanos >= windowStart && intendedNanos < windowEnd;
  }

  /** A measured message arrived {@code latencyNanos} after its intended send time. */
  void record(long latencyNanos) {
    delivered.increment();
    recorder.recordValue(Math.max(0, latencyNanos / 1000));
  }

  /** Something failed (a connection, an upgrade): counted by reason. */
  void failed(String reason) {
    failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Failures so far, by reason. */
  Map<String, Long> failures() {
    Map<String, Long> copy = new TreeMap<>();
    failures.forEach((reason, n) -> copy.put(reason, n.sum()));
    return copy;
  }

  void closed(int code) {
    closes.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** Close codes seen so far, with counts. */
  Map<Integer, Long> closes() {
    Map<Integer, Long> copy = new TreeMap<>();
    closes.forEach((code, n) -> copy.put(code, n.sum()));
    return copy;
  }

  long closedCount() {
    return closes().values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latencies (µs) of every measured delivery so far: a copy, safe to read on any thread. */
  synchronized Histogram latencies() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return total.copy();
  }
}
