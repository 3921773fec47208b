package dev.parley.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the churned connections of a {@code churn} run did, shared by all event loops: how many
 * were started, upgraded, ready and ended (by how), how many failed (by reason), how many are
 * in flight, and two latencies in microseconds: connect to the 101 upgrade, and connect to
 * ready (the hello on {@code /ws}, or the joined snapshot when it joins a room).
 */
final class ChurnTally {
  final LongAdder started = new LongAdder();
  /** Not started because {@code --max-in-flight} connections were already open. */
  final LongAdder skipped = new LongAdder();
  final LongAdder upgraded = new LongAdder();
  final LongAdder ready = new LongAdder();
  /** Ended with a close frame each way and the server closing the TCP connection. */
  final LongAdder closedClean = new LongAdder();
  /** Sent a close frame; the server closed the TCP connection without a close frame back. */
  final LongAdder closedNoEcho = new LongAdder();
  /** Sent a close frame; the server had not closed the TCP connection after the close timeout. */
  final LongAdder closeTimeouts = new LongAdder();
  final LongAdder droppedFin = new LongAdder();
  final LongAdder droppedRst = new LongAdder();
  final LongAdder failed = new LongAdder();
  /** Started and not yet ended (their sockets may be open on both sides). */
  final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Recorder upgradeRecorder = new Recorder(3);
  private final Recorder readyRecorder = new Recorder(3);
  private final Histogram upgradeTotal = new Histogram(3);
  private final Histogram readyTotal = new Histogram(3);
  private Histogram upgradeInterval;
  private Histogram readyInterval;

  void upgraded(long nanos) {
    upgraded.increment();
    upgradeRecorder.recordValue(Math.max(0, nanos / 1000));
  }

  void ready(long nanos) {
    ready.increment();
    readyRecorder.recordValue(Math.max(0, nanos / 1000));
  }

  void failed(String reason) {
    failed.increment();
    failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Churned connections that ran their course, whichever way they ended. */
  long completed() {
    return closedClean.sum() + closedNoEcho.sum() + closeTimeouts.sum() + droppedFin.sum() + droppedRst.sum();
  }

  Map<String, Long> failures() {
    Map<String, Long> copy = new TreeMap<>();
    failures.forEach((reason, n) -> copy.put(reason, n.sum()));
    return copy;
  }

  /**
   * Takes the latencies recorded since the last call (returned: upgrade, then ready) and adds
   * them to the totals.
   */
  synchronized Histogram[] interval() {
    upgradeInterval = upgradeRecorder.getIntervalHistogram(upgradeInterval);
    readyInterval = readyRecorder.getIntervalHistogram(readyInterval);
    upgradeTotal.add(upgradeInterval);
    readyTotal.add(readyInterval);
    return new Histogram[] {upgradeInterval.copy(), readyInterval.copy()};
  }

  /** Every latency so far (returned: upgrade, then ready). */
  synchronized Histogram[] totals() {
    interval();
    return new Histogram[] {upgradeTotal.copy(), readyTotal.copy()};
  }
}
