package dev.parley.chat;

import java.util.ArrayDeque;

/**
 * One socket's place in one room: the live stream after its {@code joined} snapshot.
 *
 * <p>While a snapshot is loading, live messages wait here; once the {@code joined} goes out
 * they follow it, skipping whatever the snapshot already held. So the socket sees every id
 * once, in order, and nothing before its {@code joined}.
 */
final class Subscription {
  /** How many live messages may wait for a slow snapshot before the socket is given up. */
  static final int MAX_WAITING = 10_000;

  final Peer peer;
  private int loadingSnapshots;
  private long lastSent;
  private boolean delivered;
  private final ArrayDeque<Event.Posted> waiting = new ArrayDeque<>();

  Subscription(Peer peer) {
    this.peer = peer;
  }

  void snapshotRequested() {
    loadingSnapshots++;
  }

  /** Offers a live message; returns {@code false} if the socket can no longer be kept in order. */
  boolean offer(Event.Posted m) {
    if (loadingSnapshots > 0) {
      waiting.add(m);
      return waiting.size() <= MAX_WAITING;
    }
    sendIfNew(m);
    return true;
  }

  /** Sends the {@code joined} that covers messages up to its {@code lastId}, then whatever waited. */
  void snapshotLoaded(Event.Joined joined) {
    loadingSnapshots--;
    delivered = true;
    peer.client.send(joined);
    lastSent = Math.max(lastSent, joined.lastId());
    if (loadingSnapshots == 0) {
      while (!waiting.isEmpty()) {
        sendIfNew(waiting.poll());
      }
    }
  }

  /**
   * A snapshot that could not be loaded: nothing was sent for it. Returns whether the
   * subscription still stands (an earlier {@code joined} went out, or another is loading).
   */
  boolean snapshotFailed() {
    loadingSnapshots--;
    if (loadingSnapshots == 0 && delivered) {
      while (!waiting.isEmpty()) {
        sendIfNew(waiting.poll());
      }
    }
    return delivered || loadingSnapshots > 0;
  }

  private void sendIfNew(Event.Posted posted) {
    if (posted.message().id() > lastSent) {
      lastSent = posted.message().id();
      peer.client.send(posted);
    }
  }
}
