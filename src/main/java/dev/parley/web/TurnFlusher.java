package dev.parley.web;

import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * Flushes every socket written to at most once per turn of the event loop, however many frames
 * it was given in that turn: a burst of messages then leaves in one system call per socket
 * rather than one per frame.
 *
 * <p>The flush runs as a task queued behind the work of the current turn, so it happens after
 * the hub has handed out everything that turn produced. Threading: the event loop's thread only.
 */
final class TurnFlusher {
  private final Executor loop;
  private ArrayList<Connection> dirty = new ArrayList<>();
  private ArrayList<Connection> spare = new ArrayList<>();
  private boolean queued;
  private final Runnable flushAll = this::flushAll;

  /** @param loop runs tasks on the event loop that owns the sockets, after what is queued there */
  TurnFlusher(Executor loop) {
    this.loop = loop;
  }

  /** Notes that a socket holds unflushed frames. */
  void written(Connection connection) {
    if (connection.markDirty()) {
      dirty.add(connection);
    }
    if (!queued) {
      queued = true;
      loop.execute(flushAll);
    }
  }

  private void flushAll() {
    queued = false;
    ArrayList<Connection> now = dirty;
    dirty = spare;
    spare = now;
    for (int i = 0, n = now.size(); i < n; i++) {
      now.get(i).flush();
    }
    now.clear();
  }
}
