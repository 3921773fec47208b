package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads a process's memory and CPU from {@code /proc}: resident set size ({@code VmRSS} of
 * {@code /proc/PID/status}) and CPU time ({@code utime + stime} of {@code /proc/PID/stat}).
 * Readings are empty when there is no such process (or no {@code /proc}).
 */
final class ServerProbe {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Java runs on

  private final long pid;

  private ServerProbe(long pid) {
    this.pid = pid;
  }

  /** The probe of process {@code pid}; 0 means none (every reading empty). */
  static ServerProbe of(long pid) {
    return new ServerProbe(pid);
  }

  /** The probe of this generator itself. */
  static ServerProbe self() {
    return new ServerProbe(ProcessHandle.current().pid());
  }

  boolean present() {
    return pid > 0;
  }

  /** Resident memory in KiB. */
  OptionalLong rssKib() {
    if (pid <= 0) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(parseKib(line));
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** User plus system CPU time, in nanoseconds (10 ms resolution). */
  OptionalLong cpuNanos() {
    if (pid <= 0) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          * (1_000_000_000L / TICKS_PER_SECOND));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The machine's one-minute load average (other work on the cores skews every figure). */
  static OptionalDouble loadAverage() {
    try {
      return OptionalDouble.of(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  /** {@code "VmRSS:\t  123456 kB"} → 123456. */
  static long parseKib(String statusLine) {
    String[] parts = statusLine.substring(statusLine.indexOf(':') + 1).trim().split("\\s+");
    return Long.parseLong(parts[0]);
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/PID/stat} line, in clock ticks. */
  static long parseCpuTicks(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
  }
}
