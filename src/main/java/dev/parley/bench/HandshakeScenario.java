package dev.parley.bench;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench handshakes}: C workers each connect, upgrade and close, over and over,
 * for the duration. Reports upgrades per second, the upgrade time (TCP connect to 101), the
 * failures by reason and the server's CPU per handshake.
 */
@Command(name = "handshakes", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Connect, upgrade, close, over and over: WebSocket handshakes per second.")
final class HandshakeScenario implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--concurrency", defaultValue = "32",
      description = "Handshakes in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || duration <= 0 || warmup < 0) {
      System.err.println("handshakes: need concurrency >= 1, duration > 0, warmup >= 0");
      return 2;
    }
    Tally tally = new Tally();
    ServerProbe server = ServerProbe.of(target.serverPid);
    ServerProbe self = ServerProbe.self();
    Report report = target.report("handshakes");
    report.put("concurrency", concurrency).put("duration_s", duration).put("warmup_s", warmup);
    long from = Clock.now() + (long) (warmup * 1e9);
    long to = from + (long) (duration * 1e9);
    tally.window(from, to);
    Snapshot before;
    Snapshot after;
    try (Fleet fleet = new Fleet(target)) {
      report.put("source_addresses", fleet.sourceAddresses());
      CountDownLatch workers = new CountDownLatch(concurrency);
      for (int c = 0; c < concurrency; c++) {
        new Runnable() {
          @Override
          public void run() {
            if (Clock.now() >= to) {
              workers.countDown();
              return;
            }
            HandshakeProbe probe = new HandshakeProbe(tally, () -> fleet.group().execute(this));
            fleet.connect(probe).addListener(f -> {
              if (!f.isSuccess()) {
                probe.connectFailed(f.cause());
              }
            });
          }
        }.run();
      }
      long[] last = {0, Clock.now()};
      try (Progress p = Progress.start("handshakes", () -> {
        long now = Clock.now();
        long n = tally.arrived.sum();
        double rate = (n - last[0]) / Math.max(1e-9, (now - last[1]) / 1e9);
        last[0] = n;
        last[1] = now;
        return String.format(Locale.ROOT, "%,d upgraded (%,.0f/s), %,d failed", n, rate, tally.errors.sum());
      })) {
        Clock.sleepUntil(from);
        before = Snapshot.take(server, self, tally);
        Clock.sleepUntil(to);
        after = Snapshot.take(server, self, tally);
        workers.await(30, TimeUnit.SECONDS);
      }
    }
    long upgraded = after.arrived() - before.arrived();
    report.put("upgraded", upgraded)
        .put("handshakes_per_s", Report.round(upgraded / ((after.at() - before.at()) / 1e9), 1))
        .put("failed", tally.errors.sum());
    if (!tally.failures().isEmpty()) {
      report.put("failures", tally.failures().toString());
    }
    LatencySummary.of(tally.latencies()).into(report);
    before.cpuInto(report, after, upgraded, "handshake");
    report.print(System.out);
    return 0;
  }
}
