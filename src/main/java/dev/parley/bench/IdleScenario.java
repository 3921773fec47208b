package dev.parley.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench idle}: opens connections in steps (e.g. 1000, then up to 19000), lets each
 * step settle, and reads the server's resident memory at each. The marginal memory per
 * connection between two steps is what a connection costs, net of the server's fixed size.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Hold N idle connections; the server's RSS at each size and the marginal RSS per connection.")
final class IdleScenario implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--connections", split = ",", defaultValue = "1000,5000",
      description = "Sizes to measure at, comma-separated (default: ${DEFAULT-VALUE}).")
  int[] sizes;

  @Option(names = "--settle", defaultValue = "5",
      description = "Seconds to wait at each size before reading memory (default: ${DEFAULT-VALUE}).")
  double settle;

  @Option(names = "--hold", defaultValue = "0", description = "Seconds to keep the connections open at the end.")
  double hold;

  @Option(names = "--join", description = "On /ws, have every socket join this room (default: none; "
      + "every join is announced to all the room's sockets, so this costs N² frames).")
  String join;

  @Override
  public Integer call() throws Exception {
    int[] steps = sizes.clone();
    Arrays.sort(steps);
    if (steps.length == 0 || steps[0] < 1) {
      System.err.println("idle: --connections needs sizes >= 1");
      return 2;
    }
    Tally tally = new Tally();
    ServerProbe server = ServerProbe.of(target.serverPid);
    ServerProbe self = ServerProbe.self();
    Report report = target.report("idle");
    report.put("sizes", Arrays.toString(steps));
    if (!server.present()) {
      System.err.println("idle: without --server-pid there is no server memory to report");
    }
    OptionalLong baseline = server.rssKib();
    baseline.ifPresent(kib -> report.put("server_rss_kib_before", kib));
    long[] rss = new long[steps.length];
    int[] held = new int[steps.length];
    String room = target.protocol.joinsRooms() ? join : null;
    try (Fleet fleet = new Fleet(target)) {
      report.put("source_addresses", fleet.sourceAddresses());
      int open = 0;
      for (int i = 0; i < steps.length; i++) {
        int base = open;
        List<BenchSocket> opened = fleet.open(Math.max(0, steps[i] - open),
            n -> new BenchSocket(base + n, room, target.protocol, tally));
        open += opened.size();
        held[i] = open;
        if (open < steps[i]) {
          report.put("connect_failure", fleet.firstFailure());
        }
        String holding = String.format(Locale.ROOT, "holding %,d connections", open);
        try (Progress p = Progress.start("idle", () -> holding)) {
          Clock.sleepUntil(Clock.now() + (long) (settle * 1e9));
        }
        rss[i] = server.rssKib().orElse(-1);
        String step = Integer.toString(steps[i]);
        report.put("connections_at_" + step, open);
        if (rss[i] >= 0) {
          report.put("server_rss_kib_at_" + step, rss[i]);
        }
        self.rssKib().ifPresent(kib -> report.put("generator_rss_kib_at_" + step, kib));
        System.err.printf(Locale.ROOT, "idle: %,d connections, server RSS %s KiB%n", open,
            rss[i] >= 0 ? String.format(Locale.ROOT, "%,d", rss[i]) : "unknown");
      }
      if (server.present()) {
        for (int i = 1; i < steps.length; i++) {
          if (held[i] > held[i - 1] && rss[i] >= 0 && rss[i - 1] >= 0) {
            report.put("marginal_kib_per_conn_" + steps[i - 1] + "_to_" + steps[i],
                Report.round((double) (rss[i] - rss[i - 1]) / (held[i] - held[i - 1]), 2));
          }
        }
        if (baseline.isPresent() && held[held.length - 1] > 0 && rss[rss.length - 1] >= 0) {
          report.put("kib_per_conn_over_before",
              Report.round((double) (rss[rss.length - 1] - baseline.getAsLong()) / held[held.length - 1], 2));
        }
      }
      report.put("closed_during_run", tally.closedCount());
      if (hold > 0) {
        try (Progress p = Progress.start("idle", () -> "holding")) {
          Clock.sleepUntil(Clock.now() + (long) (hold * 1e9));
        }
      }
    }
    server.rssKib().ifPresent(kib -> report.put("server_rss_kib_after_close", kib));
    report.print(System.out);
    return 0;
  }
}
