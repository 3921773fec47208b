package dev.parley.bench;

import java.util.OptionalLong;

/** CPU times of the server and the generator, and the arrivals so far, at one instant. */
record Snapshot(long at, OptionalLong serverCpu, OptionalLong selfCpu, long arrived) {

  static Snapshot take(ServerProbe server, ServerProbe self, Tally tally) {
    return new Snapshot(Clock.now(), server.cpuNanos(), self.cpuNanos(), tally.arrived.sum());
  }

  /** Puts CPU figures for the interval {@code this}→{@code later}, over {@code work} units of {@code perWhat}. */
  void cpuInto(Report report, Snapshot later, long work, String perWhat) {
    double seconds = (later.at - at) / 1e9;
    if (serverCpu.isPresent() && later.serverCpu.isPresent()) {
      long cpu = later.serverCpu.getAsLong() - serverCpu.getAsLong();
      report.put("server_cpu_pct", Report.round(100.0 * cpu / 1e9 / seconds, 1));
      if (work > 0) {
        report.put("server_cpu_us_per_" + perWhat, Report.round(cpu / 1000.0 / work, 3));
      }
    }
    if (selfCpu.isPresent() && later.selfCpu.isPresent()) {
      long cpu = later.selfCpu.getAsLong() - selfCpu.getAsLong();
      report.put("generator_cpu_pct", Report.round(100.0 * cpu / 1e9 / seconds, 1));
    }
  }
}
