package dev.parley.chat;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One socket's place in one room: the live stream after its {@code joined} snapshot.
 *
 * <p>While a snapshot is loading, live messages wait here; once the {@code joined} goes out
 * they follow it, skipping whatever the snapshot already held. So the socket sees every id
 * once, in order, and nothing before its {@code joined}. Likewise the stream waits at the
 * socket's own message until that message's ack has gone out.
 */
final class Subscription {
  /** How many live messages may wait for a slow snapshot before the socket is given up. */
  static final int MAX_WAITING = 10_000;

  final Peer peer;
  private int loadingSnapshots;
  private long lastSent;
  private boolean delivered;
  private final ArrayDeque<Event.Posted> waiting = new ArrayDeque<>(1); // usually empty
  /**
   * Ids of this socket's own messages whose ack has not gone out yet: usually none or one, and
   * looked up once per delivery, so a plain array (a set of boxed ids was 6 % of a fan-out profile).
   */
  private long[] awaitingAck = NONE;
  private int awaiting;
  private static final long[] NONE = new long[0];

  Subscription(Peer peer) {
    this.peer = peer;
  }

  void snapshotRequested() {
    loadingSnapshots++;
  }

  /** Offers a live message; returns {@code false} if the socket can no longer be kept in order. */
  boolean offer(Event.Posted m) {
    if (loadingSnapshots > 0 || !waiting.isEmpty() || awaitsAck(m.message().id())) {
      waiting.add(m);
      return waiting.size() <= MAX_WAITING;
    }
    sendIfNew(m);
    return true;
  }

  /** This socket sent message {@code id}: hold the stream at it until its ack has gone out. */
  void awaitAck(long id) {
    if (awaitsAck(id)) {
      return;
    }
    if (awaiting == awaitingAck.length) {
      awaitingAck = Arrays.copyOf(awaitingAck, Math.max(2, awaiting * 2));
    }
    awaitingAck[awaiting++] = id;
  }

  private boolean awaitsAck(long id) {
    for (int i = 0; i < awaiting; i++) {
      if (awaitingAck[i] == id) {
        return true;
      }
    }
    return false;
  }

  /** The ack (or the refusal) of this socket's message {@code id} went out. */
  void ackSent(long id) {
    for (int i = 0; i < awaiting; i++) {
      if (awaitingAck[i] == id) {
        awaitingAck[i] = awaitingAck[--awaiting];
        break;
      }
    }
    drain();
  }

  private void drain() {
    while (loadingSnapshots == 0 && !waiting.isEmpty() && !awaitsAck(waiting.peek().message().id())) {
      sendIfNew(waiting.poll());
    }
  }

  /** Sends the {@code joined} that covers messages up to its {@code lastId}, then whatever waited. */
  void snapshotLoaded(Event.Joined joined) {
    loadingSnapshots--;
    delivered = true;
    peer.client.send(joined);
    lastSent = Math.max(lastSent, joined.lastId());
    drain();
  }

  /**
   * A snapshot that could not be loaded: nothing was sent for it. Returns whether the
   * subscription still stands (an earlier {@code joined} went out, or another is loading).
   */
  boolean snapshotFailed() {
    loadingSnapshots--;
    if (delivered) {
      drain();
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
