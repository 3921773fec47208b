package dev.parley.bench;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench fanout}: N clients in one room; the first P of them also publish, open
 * loop, at a fixed total rate, so every message is delivered N times. Latency runs from each
 * message's intended send time; loss, duplicates and the server's CPU per delivery are counted
 * over the measured window (after a warm-up).
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N clients in one room, P of them publishing open loop at a fixed total rate: "
        + "deliveries/s, latency from the intended send time, loss, duplicates, server CPU per delivery.")
final class FanoutScenario implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--clients", defaultValue = "1000", description = "Sockets in the room (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--publishers", defaultValue = "250",
      description = "How many of the clients publish (default: ${DEFAULT-VALUE}).")
  int publishers;

  @Option(names = "--rate", defaultValue = "40",
      description = "Messages per second, all publishers together; each is delivered to every client, "
          + "so deliveries/s = rate x clients (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "3",
      description = "Seconds of publishing before measuring (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--drain", defaultValue = "5",
      description = "At most this many seconds to wait for late deliveries after the window (default: ${DEFAULT-VALUE}).")
  double drain;

  @Option(names = "--size", defaultValue = "64", description = "Bytes of text per message (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--room", defaultValue = "general", description = "The room, on /ws (default: ${DEFAULT-VALUE}).")
  String room;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || publishers < 1 || publishers > clients || rate <= 0 || duration <= 0 || warmup < 0) {
      System.err.println("fanout: need clients >= publishers >= 1, rate > 0, duration > 0, warmup >= 0");
      return 2;
    }
    Tally tally = new Tally();
    ServerProbe server = ServerProbe.of(target.serverPid);
    ServerProbe self = ServerProbe.self();
    Report report = target.report("fanout");
    report.put("clients", clients).put("publishers", publishers).put("rate_msgs_per_s", rate)
        .put("target_deliveries_per_s", Math.round(rate * clients)).put("size_bytes", size)
        .put("duration_s", duration).put("warmup_s", warmup);
    try (Fleet fleet = new Fleet(target)) {
      List<BenchSocket> sockets = fleet.open(clients, i -> new BenchSocket(i, room, target.protocol, tally));
      report.put("source_addresses", fleet.sourceAddresses()).put("connected", sockets.size());
      if (sockets.size() < publishers) {
        System.err.println("fanout: only " + sockets.size() + " of " + clients + " connected: " + fleet.firstFailure());
        return 1;
      }
      if (sockets.size() < clients) {
        report.put("connect_failure", fleet.firstFailure());
      }
      report.put("not_in_room_after_barrier", Barrier.await(sockets, TimeUnit.SECONDS.toNanos(30)));

      long start = Clock.now() + TimeUnit.MILLISECONDS.toNanos(50);
      long from = start + (long) (warmup * 1e9);
      long to = from + (long) (duration * 1e9);
      tally.window(from, to);
      Publisher publisher = new Publisher(sockets.subList(0, publishers), new RateSchedule(rate, start), to, size,
          tally, sockets.size());
      Snapshot before;
      Snapshot after;
      try (Progress p = Progress.start("fanout", new DeliveryProgress(tally))) {
        publisher.start();
        Clock.sleepUntil(from);
        before = Snapshot.take(server, self, tally);
        Clock.sleepUntil(to);
        after = Snapshot.take(server, self, tally);
        publisher.done().get((long) (drain * 1000) + 10_000, TimeUnit.MILLISECONDS);
        Deliveries.drain(tally, (long) (drain * 1e9));
      }
      Deliveries.into(report, tally, duration);
      before.cpuInto(report, after, after.arrived() - before.arrived(), "delivery");
      server.rssKib().ifPresent(kib -> report.put("server_rss_kib", kib));
    }
    report.print(System.out);
    return 0;
  }
}
