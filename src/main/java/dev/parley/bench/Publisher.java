package dev.parley.bench;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop publishing at a fixed total rate: message k leaves at its scheduled time from
 * publisher k mod P, however late the server is (a late tick sends everything due at once, each
 * message still stamped with its own intended time). Runs on the first publisher's event loop;
 * frames are written as they fall due and flushed once per tick.
 */
final class Publisher implements Runnable {
  private final BenchSocket[] publishers;
  private final RateSchedule schedule;
  private final long stopAt;
  private final int size;
  private final Tally tally;
  private final int roomSize;
  private final EventLoop loop;
  private final boolean[] dirty;
  private final int[] touched;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private long k;

  /** Publishes the messages {@code schedule} places before {@code stopAt}; each reaches {@code roomSize} sockets. */
  Publisher(List<BenchSocket> publishers, RateSchedule schedule, long stopAt, int size, Tally tally, int roomSize) {
    this.publishers = publishers.toArray(new BenchSocket[0]);
    this.schedule = schedule;
    this.stopAt = stopAt;
    this.size = size;
    this.tally = tally;
    this.roomSize = roomSize;
    this.loop = this.publishers[0].channel().eventLoop();
    this.dirty = new boolean[this.publishers.length];
    this.touched = new int[this.publishers.length];
  }

  void start() {
    loop.execute(this);
  }

  /** Completes with the number of messages sent once the last one has been written. */
  CompletableFuture<Long> done() {
    return done;
  }

  @Override
  public void run() {
    long due = schedule.dueBy(Clock.now());
    int n = 0;
    for (; k < due; k++) {
      long at = schedule.at(k);
      if (at >= stopAt) {
        break;
      }
      int p = (int) (k % publishers.length);
      publishers[p].post(Payload.text(k, at, size));
      tally.sent.increment();
      if (tally.measured(at)) {
        tally.sentMeasured.increment();
        tally.expected.add(roomSize);
      }
      if (!dirty[p]) {
        dirty[p] = true;
        touched[n++] = p;
      }
    }
    for (int i = 0; i < n; i++) {
      dirty[touched[i]] = false;
      publishers[touched[i]].channel().flush();
    }
    long next = schedule.at(k);
    if (next >= stopAt) {
      done.complete(k);
      return;
    }
    loop.schedule(this, Math.max(0, next - Clock.now()), TimeUnit.NANOSECONDS);
  }
}
