package dev.parley.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the hub has for sockets served by other event loops: frames, pings and closes, handed to
 * each loop as one batch per turn of the hub's loop.
 *
 * <p>A broadcast to a thousand sockets spread over two loops thus costs the hub one task per loop,
 * not one per socket; each loop then writes its share and flushes each of its sockets once
 * ({@link TurnFlusher}), in parallel with the hub and the other loops. A socket's items keep their
 * order: they are appended in the order the hub produced them, batches leave in turn order, and a
 * loop runs its tasks in the order it got them.
 *
 * <p>Threading: items are added on the hub's loop only; each batch runs on its socket loop.
 */
final class Outbox {
  /** A ping, in a batch (closes and frames are their own items). */
  static final Object PING = new Object();

  /** A close frame to send, in a batch. */
  record Close(int code, String reason) {}

  private final Executor hubTurnEnd;
  private final Map<EventLoop, Batch> batches = new IdentityHashMap<>();
  private boolean queued;
  private final Runnable handOver = this::handOver;

  /** @param hubTurnEnd runs a task on the hub's loop, after what that loop has queued already */
  Outbox(Executor hubTurnEnd) {
    this.hubTurnEnd = hubTurnEnd;
  }

  /**
   * Queues a shared frame for a socket. The batch holds one reference per distinct frame, and the
   * socket's loop takes each socket's duplicate itself: a broadcast's buffer is then retained
   * once per loop by the hub rather than once per socket from another core.
   */
  void write(Connection to, ByteBuf frame) {
    Batch batch = batch(to.loop());
    if (batch.lastFrame != frame) {
      batch.lastFrame = frame;
      batch.held.add(frame.retain());
    }
    add(batch, to, frame);
  }

  void ping(Connection to) {
    add(to, PING);
  }

  void close(Connection to, int code, String reason) {
    add(to, new Close(code, reason));
  }

  private void add(Connection to, Object item) {
    add(batch(to.loop()), to, item);
  }

  private Batch batch(EventLoop loop) {
    Batch batch = batches.get(loop);
    if (batch == null) {
      batch = new Batch();
      batches.put(loop, batch);
    }
    return batch;
  }

  private void add(Batch batch, Connection to, Object item) {
    batch.sockets.add(to);
    batch.items.add(item);
    if (!queued) {
      queued = true;
      hubTurnEnd.execute(handOver);
    }
  }

  private void handOver() {
    queued = false;
    for (Map.Entry<EventLoop, Batch> loop : batches.entrySet()) {
      try {
        loop.getKey().execute(loop.getValue());
      } catch (RejectedExecutionException stopping) {
        loop.getValue().discard(); // the loop is shutting down with the server: its sockets are gone
      }
    }
    batches.clear();
  }

  /** One loop's share of one turn. */
  private static final class Batch implements Runnable {
    final ArrayList<Connection> sockets = new ArrayList<>();
    final ArrayList<Object> items = new ArrayList<>();
    /** The batch's reference to each distinct frame in it (items hold no reference of their own). */
    final ArrayList<ByteBuf> held = new ArrayList<>();
    ByteBuf lastFrame;

    @Override
    public void run() {
      for (int i = 0, n = sockets.size(); i < n; i++) {
        Object item = items.get(i);
        sockets.get(i).deliver(item instanceof ByteBuf frame ? frame.retainedDuplicate() : item);
      }
      discard();
    }

    void discard() {
      held.forEach(ReferenceCountUtil::release);
    }
  }
}
