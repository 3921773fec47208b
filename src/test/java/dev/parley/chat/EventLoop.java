package dev.parley.chat;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The hub's thread for tests: runs a task at once when idle, and queues tasks submitted while
 * one runs until it has finished, as a Vert.x context does. So everything is done when a
 * call returns, yet callbacks never run inside the code that scheduled them.
 */
final class EventLoop implements Executor {
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (running) {
      return;
    }
    running = true;
    try {
      Runnable next;
      while ((next = queue.poll()) != null) {
        next.run();
      }
    } finally {
      running = false;
      queue.clear();
    }
  }
}
