package dev.parley.bench;

import io.netty.channel.EventLoop;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench chat}: many rooms at human rates. N connections spread over K rooms
 * (socket i in room i mod K), each user posting one message every interval (jittered), open
 * loop. On {@code /chat} there is one room, so K is 1.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N connections in K rooms, each user posting every I ms (jittered): deliveries/s and latency.")
final class ChatScenario implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--connections", defaultValue = "1000", description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--rooms", defaultValue = "10", description = "Rooms, on /ws (default: ${DEFAULT-VALUE}).")
  int rooms;

  @Option(names = "--interval-ms", defaultValue = "30000",
      description = "Each user posts once per this many ms (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(names = "--jitter", defaultValue = "0.1",
      description = "Each interval varies by up to this fraction either way (default: ${DEFAULT-VALUE}).")
  double jitter;

  @Option(names = "--duration", defaultValue = "60", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "-1",
      description = "Seconds of posting before measuring; default: one interval, so every user is talking.")
  double warmup;

  @Option(names = "--drain", defaultValue = "5",
      description = "At most this many seconds for late deliveries (default: ${DEFAULT-VALUE}).")
  double drain;

  @Option(names = "--size", defaultValue = "64", description = "Bytes of text per message (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--room-prefix", defaultValue = "bench-",
      description = "Room names on /ws are this plus a number (default: ${DEFAULT-VALUE}).")
  String roomPrefix;

  @Override
  public Integer call() throws Exception {
    boolean ws = target.protocol.joinsRooms();
    int k = ws ? rooms : 1;
    if (connections < 1 || k < 1 || intervalMs < 1 || duration <= 0 || jitter < 0 || jitter >= 1) {
      System.err.println("chat: need connections >= 1, rooms >= 1, interval-ms >= 1, duration > 0, 0 <= jitter < 1");
      return 2;
    }
    if (k != rooms) {
      System.err.println("chat: /chat has one room; --rooms " + rooms + " ignored");
    }
    double warm = warmup >= 0 ? warmup : intervalMs / 1000.0;
    Tally tally = new Tally();
    ServerProbe server = ServerProbe.of(target.serverPid);
    ServerProbe self = ServerProbe.self();
    Report report = target.report("chat");
    report.put("connections", connections).put("rooms", k).put("interval_ms", intervalMs)
        .put("offered_msgs_per_s", Report.round(connections * 1000.0 / intervalMs, 1))
        .put("size_bytes", size).put("duration_s", duration).put("warmup_s", warm);
    try (Fleet fleet = new Fleet(target)) {
      List<BenchSocket> sockets = fleet.open(connections,
          i -> new BenchSocket(i, ws ? roomPrefix + (i % k) : "general", target.protocol, tally));
      report.put("source_addresses", fleet.sourceAddresses()).put("connected", sockets.size());
      if (sockets.isEmpty()) {
        System.err.println("chat: nothing connected: " + fleet.firstFailure());
        return 1;
      }
      if (sockets.size() < connections) {
        report.put("connect_failure", fleet.firstFailure());
      }
      report.put("not_in_room_after_barrier", Barrier.await(sockets, TimeUnit.SECONDS.toNanos(60)));

      int[] roomSize = new int[k];
      AtomicLong[] roomSeq = new AtomicLong[k];
      for (int r = 0; r < k; r++) {
        roomSeq[r] = new AtomicLong();
      }
      for (BenchSocket s : sockets) {
        roomSize[s.index % k]++;
      }
      long start = Clock.now() + TimeUnit.MILLISECONDS.toNanos(50);
      long from = start + (long) (warm * 1e9);
      long to = from + (long) (duration * 1e9);
      tally.window(from, to);
      long interval = TimeUnit.MILLISECONDS.toNanos(intervalMs);
      Map<EventLoop, Talkers> perLoop = new IdentityHashMap<>();
      for (BenchSocket s : sockets) {
        perLoop.computeIfAbsent(s.channel().eventLoop(),
            loop -> new Talkers(loop, roomSeq, roomSize, interval, jitter, to, size, tally, 42 + perLoop.size()))
            .add(s, s.index % k, start);
      }
      Snapshot before;
      Snapshot after;
      try (Progress p = Progress.start("chat", new DeliveryProgress(tally))) {
        perLoop.values().forEach(Talkers::start);
        Clock.sleepUntil(from);
        before = Snapshot.take(server, self, tally);
        Clock.sleepUntil(to);
        after = Snapshot.take(server, self, tally);
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
