package dev.parley.bench;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users who each post one message every interval, jittered, open loop, into their own room:
 * the {@code chat} scenario's load. One instance per event loop drives that loop's sockets from
 * a queue ordered by intended send time; the sequence numbers are per room, shared across loops.
 */
final class Talkers implements Runnable {
  /** One user's next intended post. */
  private static final class Turn {
    final BenchSocket socket;
    final int room;
    long at;

    Turn(BenchSocket socket, int room, long at) {
      this.socket = socket;
      this.room = room;
      this.at = at;
    }
  }

  private final EventLoop loop;
  private final PriorityQueue<Turn> queue = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private final AtomicLong[] roomSeq;
  private final int[] roomSize;
  private final long interval;
  private final double jitter;
  private final long stopAt;
  private final int size;
  private final Tally tally;
  private final SplittableRandom random;
  private final List<BenchSocket> touched = new ArrayList<>();

  Talkers(EventLoop loop, AtomicLong[] roomSeq, int[] roomSize, long intervalNanos, double jitter, long stopAt,
      int size, Tally tally, long seed) {
    this.loop = loop;
    this.roomSeq = roomSeq;
    this.roomSize = roomSize;
    this.interval = intervalNanos;
    this.jitter = jitter;
    this.stopAt = stopAt;
    this.size = size;
    this.tally = tally;
    this.random = new SplittableRandom(seed);
  }

  /** Adds a user (before {@link #start}) whose first post falls at a random point of the first interval. */
  void add(BenchSocket socket, int room, long start) {
    queue.add(new Turn(socket, room, start + (long) (random.nextDouble() * interval)));
  }

  void start() {
    loop.execute(this);
  }

  @Override
  public void run() {
    long now = Clock.now();
    Turn t;
    while ((t = queue.peek()) != null && t.at <= now) {
      queue.poll();
      if (t.at >= stopAt) {
        continue; // this user is done
      }
      long seq = roomSeq[t.room].getAndIncrement();
      t.socket.post(Payload.text(seq, t.at, size));
      touched.add(t.socket);
      tally.sent.increment();
      if (tally.measured(t.at)) {
        tally.sentMeasured.increment();
        tally.expected.add(roomSize[t.room]);
      }
      t.at += (long) (interval * (1 + jitter * (2 * random.nextDouble() - 1)));
      queue.add(t);
    }
    for (BenchSocket s : touched) {
      s.channel().flush(); // a second flush of a socket that posted twice is harmless
    }
    touched.clear();
    Turn head = queue.peek();
    if (head != null && head.at < stopAt) {
      loop.schedule(this, Math.max(0, head.at - Clock.now()), TimeUnit.NANOSECONDS);
    }
  }
}
