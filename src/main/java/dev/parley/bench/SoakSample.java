package dev.parley.bench;

/**
 * One reading of a soak: the server's open file descriptors, threads, resident memory and heap
 * after a full collection, what the generator held at that moment, and the churn so far. A
 * figure that could not be read is -1.
 *
 * @param seconds since churn started (negative: before it)
 * @param inFlight churned connections open at the moment of the reading (the mean of a count
 *     taken just before and just after the file descriptors were counted)
 * @param serverConnections the server's own count of open WebSockets (Parley's /metrics)
 */
record SoakSample(String label, double seconds, long fds, long threads, long rssKib, long heapKib, double inFlight,
    long serverConnections, long churned, long failed, long steadyClosed, long generatorFds) {

  /** The file descriptors net of the churned connections in flight: what should not grow. */
  double netFds() {
    return fds - inFlight;
  }
}
