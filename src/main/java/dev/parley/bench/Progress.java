package dev.parley.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One line on stderr per second while a phase runs: elapsed seconds, the phase, then what {@code line} says. */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-progress");
    t.setDaemon(true);
    return t;
  });

  private Progress(String phase, Supplier<String> line, PrintStream err) {
    long start = Clock.now();
    timer.scheduleAtFixedRate(() -> {
      String text;
      try {
        text = line.get();
      } catch (RuntimeException e) { // a failed line must not end the progress reports
        text = "(" + e + ")";
      }
      err.printf(Locale.ROOT, "[%5.1fs] %s: %s%n", (Clock.now() - start) / 1e9, phase, text);
    }, 1, 1, TimeUnit.SECONDS);
  }

  static Progress start(String phase, Supplier<String> line) {
    return new Progress(phase, line, System.err);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
