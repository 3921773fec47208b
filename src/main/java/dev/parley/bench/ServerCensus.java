package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a soak counts in a server process, to see whether anything grows: open file descriptors
 * (entries of {@code /proc/PID/fd}), threads ({@code Threads:} of {@code /proc/PID/status}) and
 * their names ({@code /proc/PID/task/}{@code *}{@code /comm}), and, for a JVM, the heap in use
 * after a full collection and a class histogram of live objects, through {@code jcmd} (which
 * attaches to the process: the server must run as the same user). Optionally the server's own
 * count of open WebSockets, from Parley's {@code /metrics} ({@code parley_connections}).
 *
 * <p>Readings are empty when they cannot be made (no such process, not a JVM, no endpoint).
 */
final class ServerCensus {
  private static final Pattern HEAP_TOTAL_USED = Pattern.compile("\\btotal \\d+K, used (\\d+)K");
  private static final Pattern ZGC_USED = Pattern.compile("^\\s*ZHeap\\s+used (\\d+)M", Pattern.MULTILINE);
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$");
  private static final Pattern CONNECTIONS_GAUGE = Pattern.compile("^parley_connections(?:\\{[^}]*})?\\s+(\\S+)",
      Pattern.MULTILINE);
  private static final long JCMD_TIMEOUT_SECONDS = 120;

  private final long pid;
  private final String jcmd;
  private final URI metrics;

  /**
   * @param jcmd the jcmd executable
   * @param metrics the server's Prometheus endpoint, or null for none
   */
  ServerCensus(long pid, String jcmd, URI metrics) {
    this.pid = pid;
    this.jcmd = jcmd;
    this.metrics = metrics;
  }

  /** The jcmd of the JDK this generator runs on, else the one on the PATH. */
  static String defaultJcmd() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(own) ? own.toString() : "jcmd";
  }

  long pid() {
    return pid;
  }

  /** Open file descriptors of process {@code pid}. */
  static OptionalLong fds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return OptionalLong.of(fds.count());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  OptionalLong fds() {
    return fds(pid);
  }

  OptionalLong threads() {
    try {
      return statusField(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")), "Threads");
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The server's threads by name, with runs of digits shown as {@code #} (so pools group together). */
  Map<String, Integer> threadNames() {
    Map<String, Integer> names = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          names.merge(threadGroup(Files.readString(task.resolve("comm"))), 1, Integer::sum);
        } catch (IOException e) {
          // the thread ended while we listed them
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return names;
  }

  /**
   * The heap in use right after a full collection, in KiB: one jcmd attach that runs
   * {@code GC.run} (a full, stop-the-world collection on G1, Parallel and Serial) and then
   * {@code GC.heap_info}.
   */
  OptionalLong heapAfterGcKib() throws InterruptedException {
    Path commands = null;
    try {
      commands = Files.createTempFile("parley-soak-", ".jcmd");
      Files.writeString(commands, "GC.run\nGC.heap_info\n");
      String out = jcmd("-f", commands.toString());
      return out == null ? OptionalLong.empty() : parseHeapUsedKib(out);
    } catch (IOException e) {
      return OptionalLong.empty();
    } finally {
      if (commands != null) {
        try {
          Files.deleteIfExists(commands);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }

  /** {@code GC.class_histogram} (live objects, after a full collection): bytes and instances by class. */
  Map<String, long[]> classHistogram() throws InterruptedException {
    String out = jcmd("GC.class_histogram");
    return out == null ? Map.of() : parseHistogram(out);
  }

  /** The server's own count of open WebSockets ({@code parley_connections} on /metrics). */
  OptionalLong metricsConnections() {
    if (metrics == null) {
      return OptionalLong.empty();
    }
    try {
      HttpURLConnection c = (HttpURLConnection) metrics.toURL().openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout(5_000);
      try (InputStream in = c.getInputStream()) {
        return parseConnectionsGauge(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } finally {
        c.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Runs jcmd on the server with {@code args}; its output, or null when it failed. */
  private String jcmd(String... args) throws InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = jcmd;
    command[1] = Long.toString(pid);
    System.arraycopy(args, 0, command, 2, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes(); // ends when jcmd does
      if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code Threads:\t31} among {@code /proc/PID/status} lines → 31. */
  static OptionalLong statusField(List<String> lines, String field) {
    for (String line : lines) {
      if (line.startsWith(field + ":")) {
        return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]));
      }
    }
    return OptionalLong.empty();
  }

  /** A thread's name with every run of digits shown as {@code #}: {@code GC Thread#1} → {@code GC Thread##}. */
  static String threadGroup(String comm) {
    return comm.strip().replaceAll("[0-9]+", "#");
  }

  /**
   * The heap in use, in KiB, from {@code GC.heap_info}: the sum of the {@code total NK, used MK}
   * lines (one on G1, young and old on Parallel and Serial), or ZGC's {@code ZHeap used NM}.
   * Metaspace lines have no {@code total} and are not heap.
   */
  static OptionalLong parseHeapUsedKib(String heapInfo) {
    Matcher m = HEAP_TOTAL_USED.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      found = true;
    }
    if (found) {
      return OptionalLong.of(used);
    }
    Matcher z = ZGC_USED.matcher(heapInfo);
    return z.find() ? OptionalLong.of(Long.parseLong(z.group(1)) * 1024) : OptionalLong.empty();
  }

  /** The rows of a class histogram: class name → {bytes, instances}. The "Total" row is left out. */
  static Map<String, long[]> parseHistogram(String histogram) {
    Map<String, long[]> rows = new TreeMap<>();
    for (String line : histogram.split("\n")) {
      Matcher m = HISTOGRAM_ROW.matcher(line);
      if (m.matches()) {
        long[] row = rows.computeIfAbsent(m.group(3), c -> new long[2]);
        row[0] += Long.parseLong(m.group(2));
        row[1] += Long.parseLong(m.group(1));
      }
    }
    return rows;
  }

  static OptionalLong parseConnectionsGauge(String prometheusText) {
    Matcher m = CONNECTIONS_GAUGE.matcher(prometheusText);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Math.round(Double.parseDouble(m.group(1))));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
