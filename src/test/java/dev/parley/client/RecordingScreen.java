package dev.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jline.utils.AttributedString;

/** A {@link ChatSession.Screen} that records the plain text of every line, for tests to wait on. */
final class RecordingScreen implements ChatSession.Screen {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();
  private volatile String prompt = "";

  @Override
  public synchronized void show(AttributedString line) {
    lines.add(line.toString());
    notifyAll();
  }

  @Override
  public void prompt(AttributedString prompt) {
    this.prompt = prompt.toString();
  }

  @Override
  public void end(int code) {
    ended.complete(code);
  }

  String prompt() {
    return prompt;
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits for a line that matches, looking at lines from index {@code from} on; returns its index. */
  synchronized int await(int from, Predicate<String> wanted, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (int i = from; i < lines.size(); i++) {
        if (wanted.test(lines.get(i))) {
          return i;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no line " + what + " within " + WAIT + "; lines: " + lines);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  int await(Predicate<String> wanted, String what) {
    return await(0, wanted, what);
  }

  /** How many lines so far match. */
  synchronized long count(Predicate<String> wanted) {
    return lines.stream().filter(wanted).count();
  }

  Integer awaitEnd() {
    try {
      return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the session did not end", e);
    }
  }
}
