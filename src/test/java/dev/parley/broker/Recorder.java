package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A listener that records what it is given, from any thread, with bounded waits on it. */
final class Recorder<T> implements Consumer<T> {
  static final long WAIT_MILLIS = 10_000;

  private final List<T> all = new ArrayList<>();

  @Override
  public synchronized void accept(T item) {
    all.add(item);
    notifyAll();
  }

  /** What matches so far, in arrival order. */
  synchronized List<T> matching(Predicate<T> wanted) {
    return all.stream().filter(wanted).collect(Collectors.toList());
  }

  /** The first item matching, waiting for it up to 10 s. */
  T awaitFirst(Predicate<T> wanted) throws InterruptedException {
    return awaitCount(wanted, 1, WAIT_MILLIS).get(0);
  }

  /** Waits up to {@code millis} until {@code count} items match; returns those that match then. */
  synchronized List<T> awaitCount(Predicate<T> wanted, int count, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      List<T> found = matching(wanted);
      if (found.size() >= count) {
        return found;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        fail("only " + found.size() + " of " + count + " wanted items within " + millis + " ms; recorded " + all);
      }
      wait(left);
    }
  }
}
