package dev.parley.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the CPU went during a step, from {@code /proc} (Linux): the load generator (this JVM),
 * the Parley nodes (this JVM's child processes), every PostgreSQL process on the machine, and
 * Redis (its own {@code INFO cpu}, which counts every client of that Redis, not only ours).
 * Figures are in percent of one core; the machine has {@code busy} percent of all its cores in use.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  private final String redisHost;
  private final int redisPort;

  CpuMeter(String redisUrl) {
    URI uri = URI.create(redisUrl);
    this.redisHost = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    this.redisPort = uri.getPort() < 0 ? 6379 : uri.getPort();
  }

  record Sample(long nanos, long machineTotal, long machineIdle, long machineInterrupts, long generator, long nodes,
      long postgres, double redisSeconds) {}

  /**
   * @param interrupts percent of one core spent in interrupts and softirqs, which no process is
   *     charged for: mostly the kernel's loopback networking for all the sockets involved
   */
  record Usage(double generator, double nodes, double postgres, double redis, double interrupts, double machineBusy) {
    /** Percent of one core used by everything else on the machine: other people's work, mostly. */
    double others() {
      double ours = generator + nodes + postgres + (Double.isNaN(redis) ? 0 : redis) + interrupts;
      return Math.max(0, machineBusy * Runtime.getRuntime().availableProcessors() - ours);
    }

    String describe() {
      return String.format("gen %3.0f%%  nodes %3.0f%%  pg %3.0f%%  redis %3.0f%%  irq %3.0f%%  others %3.0f%%  "
          + "(machine %3.0f%% busy)", generator, nodes, postgres, redis, interrupts, others(), machineBusy);
    }
  }

  /** Percent of all cores busy over the next {@code millis}, whoever is using them. */
  static double machineBusy(long millis) {
    long[] a = machine();
    java.util.concurrent.locks.LockSupport.parkNanos(millis * 1_000_000L);
    long[] b = machine();
    double total = b[0] - a[0];
    return total <= 0 ? 0 : 100.0 * (1 - (b[1] - a[1]) / total);
  }

  Sample sample() {
    long[] machine = machine();
    long nodes = ProcessHandle.current().children().mapToLong(p -> ticks(p.pid())).sum();
    return new Sample(System.nanoTime(), machine[0], machine[1], machine[2], ticks(ProcessHandle.current().pid()),
        nodes, postgresTicks(), redisSeconds());
  }

  static Usage between(Sample a, Sample b) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    double total = b.machineTotal() - a.machineTotal();
    double busy = total <= 0 ? Double.NaN : 100.0 * (1 - (b.machineIdle() - a.machineIdle()) / total);
    return new Usage(pct(b.generator() - a.generator(), seconds), pct(b.nodes() - a.nodes(), seconds),
        pct(b.postgres() - a.postgres(), seconds),
        a.redisSeconds() < 0 || b.redisSeconds() < 0 ? Double.NaN : 100.0 * (b.redisSeconds() - a.redisSeconds()) / seconds,
        total <= 0 ? Double.NaN
            : 100.0 * Runtime.getRuntime().availableProcessors() * (b.machineInterrupts() - a.machineInterrupts()) / total,
        busy);
  }

  private static double pct(long ticks, double seconds) {
    return 100.0 * ticks / TICKS_PER_SECOND / seconds;
  }

  /** {total, idle, irq + softirq} jiffies of all cores, from the first line of /proc/stat. */
  private static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5]), Long.parseLong(f[6]) + Long.parseLong(f[7])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  /** utime + stime (+ those of reaped children) of a process, in ticks; 0 when it is gone. */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
      return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long postgresTicks() {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      List<Path> pids = procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
      long sum = 0;
      for (Path p : pids) {
        try {
          if (Files.readString(p.resolve("comm")).trim().equals("postgres")) {
            sum += ticks(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
      return sum;
    } catch (IOException e) {
      return 0;
    }
  }

  /** used_cpu_sys + used_cpu_user from Redis's INFO cpu, in seconds; -1 when Redis does not answer. */
  private double redisSeconds() {
    try (Socket s = new Socket(redisHost, redisPort)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("INFO cpu\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder header = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          return -1;
        }
        header.append((char) c);
      }
      int length = Integer.parseInt(header.toString().trim().substring(1));
      String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
      double seconds = 0;
      for (String line : body.split("\r\n")) {
        if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
          seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
        }
      }
      return seconds;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
