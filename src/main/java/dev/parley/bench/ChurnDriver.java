package dev.parley.bench;

import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Starts churned connections on an open-loop schedule: connection {@code k} is due at
 * {@code start + k / rate}, whether or not the ones before it have finished. A tick every
 * {@value #TICK_MILLIS} ms on one of the generator's event loops starts every connection that
 * has come due. When {@code maxInFlight} connections are already open, a due connection is
 * skipped (counted, not started later), so the generator never runs out of file descriptors.
 */
final class ChurnDriver {
  static final long TICK_MILLIS = 2;

  private final Fleet fleet;
  private final ChurnTally tally;
  private final LongFunction<ChurnProbe> make;
  private final double rate;
  private final int maxInFlight;
  private final EventLoop loop;
  private RateSchedule schedule;
  private ScheduledFuture<?> ticker;
  private long issued;
  private volatile boolean stopped;

  ChurnDriver(Fleet fleet, ChurnTally tally, double rate, int maxInFlight, LongFunction<ChurnProbe> make) {
    this.fleet = fleet;
    this.tally = tally;
    this.rate = rate;
    this.maxInFlight = maxInFlight;
    this.make = make;
    this.loop = fleet.group().next();
  }

  /** Starts the schedule at {@code start} (generator clock). */
  void start(long start) {
    schedule = new RateSchedule(rate, start);
    ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long due = schedule.dueBy(Clock.now());
    while (issued < due) {
      long k = issued++;
      if (tally.inFlight.get() >= maxInFlight) {
        tally.skipped.increment();
        continue;
      }
      launch(k);
    }
  }

  private void launch(long k) {
    ChurnProbe probe = make.apply(k);
    tally.started.increment();
    tally.inFlight.incrementAndGet();
    try {
      fleet.connect(probe).addListener(f -> {
        if (!f.isSuccess()) {
          probe.connectFailed(f.cause());
        }
      });
    } catch (RuntimeException e) {
      probe.connectFailed(e);
    }
  }

  /** Stops starting connections (the ones open run their course); returns how many came due. */
  long stop() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      stopped = true;
      ticker.cancel(false);
      done.countDown();
    });
    done.await(10, TimeUnit.SECONDS);
    return issued;
  }
}
