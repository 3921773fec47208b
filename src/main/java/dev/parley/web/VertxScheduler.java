package dev.parley.web;

import dev.parley.chat.Scheduler;
import io.vertx.core.Vertx;

/** Hub timers on Vert.x: scheduled from the hub's context, they fire on it. */
final class VertxScheduler implements Scheduler {
  private final Vertx vertx;

  VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Runnable schedule(long delayMillis, Runnable task) {
    long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public long now() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
