package dev.parley.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes sure every socket is really in its room before measuring: the first socket of each
 * room posts a message without a stamp, and the barrier waits until every socket has received
 * one. (An upgrade can complete before the server has put the socket in the room; without this,
 * the first measured messages could count as lost.)
 */
final class Barrier {
  static final String TEXT = "barrier";

  private Barrier() {
  }

  /** Returns how many sockets had not seen the barrier message when {@code timeoutNanos} ran out. */
  static int await(List<BenchSocket> sockets, long timeoutNanos) throws InterruptedException {
    Set<String> rooms = new HashSet<>();
    for (BenchSocket s : sockets) {
      if (rooms.add(s.room)) {
        s.channel().eventLoop().execute(() -> {
          s.post(TEXT);
          s.channel().flush();
        });
      }
    }
    long deadline = Clock.now() + timeoutNanos;
    int missing;
    try (Progress p = Progress.start("barrier", () -> "waiting for every socket to be in its room")) {
      do {
        missing = 0;
        for (BenchSocket s : sockets) {
          if (s.unstamped() == 0) {
            missing++;
          }
        }
        if (missing > 0) {
          Thread.sleep(20);
        }
      } while (missing > 0 && Clock.now() < deadline);
    }
    return missing;
  }
}
