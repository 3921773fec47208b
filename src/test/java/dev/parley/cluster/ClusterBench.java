package dev.parley.cluster;

import dev.parley.testing.JarProcess;
import dev.parley.testing.ScratchPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * End-to-end figures for a cluster, through real WebSockets to real {@code target/parley.jar}
 * processes on PostgreSQL and Redis. Not a test (surefire and failsafe skip it); see the
 * "Cluster" section of docs/benchmarks.md for what each figure means. Run it with:
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.parley.cluster.ClusterBench [all|latency|throughput]
 * </pre>
 *
 * PostgreSQL: {@code PARLEY_TEST_PG_URL} (default {@value #DEFAULT_PG}); a throw-away database is
 * created for each setup. Redis: {@code PARLEY_TEST_REDIS_URL} (default {@value #DEFAULT_REDIS}).
 * Sends are open loop: each message has an intended send time on a fixed schedule, carried in
 * its text and its ref, and every latency is measured from that time, so a stalled sender or
 * server shows up as latency instead of as fewer samples.
 */
public final class ClusterBench {
  static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";
  private static final String[] NO_LIMITS = {
      "--send-rate", "0", "--command-rate", "0", "--max-conns-per-ip", "0", "--handshakes-per-ip", "0"};
  /** Offered messages per second, tried in order until a step fails twice. */
  private static final long[] RATES = {500, 1000, 2000, 4000, 6000, 8000, 12000, 16000, 24000, 32000};
  private static final int ROOMS = 3;
  private static final int RECEIVERS_PER_ROOM_PER_NODE = 2;
  private static final double P99_LIMIT_MS = 100;
  private static final double KEEP_UP_P99_MS = 1000;
  private static final double QUIET_BUSY_PERCENT = 40;

  private final WebSocketClient client;
  private final CpuMeter cpu;
  private final String pgAdmin;
  private final String redis;
  private final long latencyRate;
  private final int latencySeconds;
  private final int warmupSeconds;
  private final int stepSeconds;
  private final List<String> latencyRows = new ArrayList<>();
  private final List<String> latencyCpuRows = new ArrayList<>();
  private final List<String> throughputRows = new ArrayList<>();
  private final List<String> bestRows = new ArrayList<>();
  private final List<String> serverNotes = new ArrayList<>();
  private long quietWaitNanos;

  private ClusterBench(WebSocketClient client, String pgAdmin, String redis, long latencyRate, int latencySeconds,
      int warmupSeconds, int stepSeconds) {
    this.client = client;
    this.cpu = new CpuMeter(redis);
    this.pgAdmin = pgAdmin;
    this.redis = redis;
    this.latencyRate = latencyRate;
    this.latencySeconds = latencySeconds;
    this.warmupSeconds = warmupSeconds;
    this.stepSeconds = stepSeconds;
  }

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    long rate = args.length > 1 ? Long.parseLong(args[1]) : 200;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int step = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    if (!List.of("all", "latency", "throughput").contains(what)) {
      System.err.println("usage: ClusterBench [all|latency|throughput] [latency msgs/s (200)] "
          + "[latency seconds (20)] [throughput step seconds (10)]");
      System.exit(2);
    }
    String pg = env("PARLEY_TEST_PG_URL", DEFAULT_PG);
    String redis = env("PARLEY_TEST_REDIS_URL", DEFAULT_REDIS);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(10_000).setMaxFrameSize(2 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    ClusterBench bench = new ClusterBench(client, pg, redis, rate, seconds, 5, step);
    long began = System.nanoTime();
    System.out.printf("ClusterBench: %d cores, load average %s, PostgreSQL %s, Redis %s%n",
        Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), pg, redis);
    try {
      bench.run(what);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    bench.summary();
    System.out.printf("%ntotal %.0f s%n", (System.nanoTime() - began) / 1e9);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private void run(String what) throws Exception {
    boolean latency = !what.equals("throughput");
    boolean throughput = !what.equals("latency");
    Path data = Files.createTempDirectory("parley-cluster-bench");
    try (ScratchPostgres db = new ScratchPostgres(pgAdmin);
        Nodes cluster = Nodes.start(3, args("--data", data.resolve("c").toString(), "--db", db.url(), "--redis", redis))) {
      if (latency) {
        latency("3 nodes, PostgreSQL + Redis", cluster);
        // The single-node setups next, while conditions are like those of the cluster's run.
        try (Nodes one = Nodes.start(1, args("--data", data.resolve("s").toString()))) {
          latency("1 node, SQLite (embedded, no --db/--redis)", one);
          serverNotes.addAll(one.problems("sqlite"));
        }
        try (ScratchPostgres db1 = new ScratchPostgres(pgAdmin);
            Nodes one = Nodes.start(1, args("--data", data.resolve("p").toString(), "--db", db1.url()))) {
          latency("1 node, PostgreSQL (--db only)", one);
          serverNotes.addAll(one.problems("pg"));
        }
        try (ScratchPostgres db2 = new ScratchPostgres(pgAdmin);
            Nodes one = Nodes.start(1, args("--data", data.resolve("r").toString(), "--db", db2.url(), "--redis", redis))) {
          latency("1 node, PostgreSQL + Redis", one);
          serverNotes.addAll(one.problems("pg+redis"));
        }
      }
      if (throughput) {
        for (int n = 1; n <= 3; n++) {
          throughput(cluster, n);
        }
      }
      serverNotes.addAll(cluster.problems("cluster"));
    }
  }

  private static String[] args(String... specific) {
    List<String> all = new ArrayList<>(List.of(specific));
    all.addAll(List.of(NO_LIMITS));
    return all.toArray(String[]::new);
  }

  private static String tag() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  // ---------------------------------------------------------------- 1 and 3: latency

  private void latency(String setup, Nodes nodes) throws Exception {
    String room = "lat-" + tag();
    List<BenchSocket> sockets = new ArrayList<>();
    try {
      BenchSocket sender = BenchSocket.open(client, nodes.port(0), "sender's own socket (node 1)", room, 1);
      sockets.add(sender);
      sockets.add(BenchSocket.open(client, nodes.port(0), "same node (node 1)", room, 1));
      for (int i = 1; i < nodes.size(); i++) {
        sockets.add(BenchSocket.open(client, nodes.port(i), "cross node (node " + (i + 1) + ")", room, i + 1));
      }
      System.out.printf("%n== latency: %s, 1 sender at %d msgs/s, %d receivers ==%n", setup, latencyRate,
          sockets.size() - 1);
      Step warm = step(List.of(sender), sockets, latencyRate, warmupSeconds, 0);
      System.out.println("  warm-up  " + warm.line());
      Step s = step(List.of(sender), sockets, latencyRate, latencySeconds, 20);
      System.out.println("  measured " + s.line());
      s.printByLabel();
      for (Map.Entry<String, Histogram> e : s.byLabel.entrySet()) {
        if (e.getKey().startsWith("sender")) {
          continue;
        }
        latencyRows.add(String.format("| %s | %s | %,d | %s |", setup, e.getKey(), e.getValue().getTotalCount(),
            percentiles(e.getValue())));
      }
      latencyRows.add(String.format("| %s | ack to the sender | %,d | %s |", setup, s.ackLatency.getTotalCount(),
          percentiles(s.ackLatency)));
      latencyCpuRows.add(String.format("| %s | %d | %d | %d | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |",
          setup, s.loss, s.gaps + s.duplicates, s.errors, s.cpu.generator(), s.cpu.nodes(), s.cpu.postgres(),
          s.cpu.redis(), s.cpu.interrupts(), s.cpu.others(), s.cpu.machineBusy()));
    } finally {
      sockets.forEach(BenchSocket::close);
    }
  }

  private static String percentiles(Histogram h) {
    return String.format("%.1f | %.1f | %.1f | %.1f", h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
  }

  // ---------------------------------------------------------------- 2: throughput

  private void throughput(Nodes cluster, int n) throws Exception {
    String tag = tag();
    List<BenchSocket> sockets = new ArrayList<>();
    List<BenchSocket> senders = new ArrayList<>();
    try {
      for (int node = 0; node < n; node++) {
        for (int r = 0; r < ROOMS; r++) {
          String room = "tp" + n + "-" + tag + "-" + r;
          BenchSocket sender = BenchSocket.open(client, cluster.port(node), "sender", room, node + 1);
          senders.add(sender);
          sockets.add(sender);
          for (int i = 0; i < RECEIVERS_PER_ROOM_PER_NODE; i++) {
            sockets.add(BenchSocket.open(client, cluster.port(node), "receiver", room, node + 1));
          }
        }
      }
      System.out.printf("%n== throughput: %d node(s), %d rooms, %d senders, %d sockets (%d per room) ==%n", n, ROOMS,
          senders.size(), sockets.size(), sockets.size() / ROOMS);
      System.out.println("  warm-up  " + step(senders, sockets, 300, 3, 0).line());
      Step fast = null; // the highest step with p99 < 100 ms and nothing lost
      Step keptUp = null; // the highest step that kept up at all (p99 < 1 s, nothing lost)
      Step failed = null;
      for (long rate : RATES) {
        Step s = step(senders, sockets, rate, stepSeconds);
        System.out.println("  " + s.verdict() + "  " + s.line());
        if (!s.keptUp() && !s.brokeSockets()) {
          Step again = step(senders, sockets, rate, stepSeconds);
          System.out.println("  " + again.verdict() + "  (retry) " + again.line());
          s = again;
        }
        throughputRows.add(s.row(n));
        if (s.passed()) {
          fast = s;
        }
        if (!s.keptUp()) {
          failed = s;
          break;
        }
        keptUp = s;
      }
      bestRows.add(String.format("| %d | %s | %s | %s | %s |", n, best(fast), best(keptUp),
          keptUp == null ? "–" : String.format("%.0f%%", keptUp.cpu.redis()),
          failed == null ? "not reached" : String.format("%,d/s: %s", failed.offered, failed.reasons(KEEP_UP_P99_MS))));
    } finally {
      sockets.forEach(BenchSocket::close);
    }
  }

  // ---------------------------------------------------------------- one open-loop step

  /**
   * The machine is shared: before a measured step, wait (up to {@code seconds}, and 60 s in all
   * in a run) until less than {@value #QUIET_BUSY_PERCENT}% of its cores are busy, and say how long that took.
   */
  private void awaitQuiet(int seconds) {
    long began = System.nanoTime();
    double busy = CpuMeter.machineBusy(1000);
    while (busy > QUIET_BUSY_PERCENT && System.nanoTime() - began < seconds * 1_000_000_000L
        && quietWaitNanos < 60_000_000_000L) {
      busy = CpuMeter.machineBusy(1000);
      quietWaitNanos += 1_000_000_000L;
    }
    double waited = (System.nanoTime() - began) / 1e9;
    if (waited > 1.5) {
      System.out.printf("  (waited %.0f s for a quieter machine; %.0f%% busy before the step)%n", waited, busy);
    }
  }

  private Step step(List<BenchSocket> senders, List<BenchSocket> sockets, long rate, int seconds) {
    return step(senders, sockets, rate, seconds, 10);
  }

  /** One step; before it, wait up to {@code quietSeconds} for a quieter machine. */
  private Step step(List<BenchSocket> senders, List<BenchSocket> sockets, long rate, int seconds, int quietSeconds) {
    if (quietSeconds > 0) {
      awaitQuiet(quietSeconds);
    }
    sockets.forEach(BenchSocket::reset);
    CpuMeter.Sample before = cpu.sample();
    long start = System.nanoTime() + 20_000_000L;
    long end = start + seconds * 1_000_000_000L;
    for (long k = 0; ; k++) {
      long due = start + k * 1_000_000_000L / rate;
      if (due >= end) {
        break;
      }
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now);
      }
      senders.get((int) (k % senders.size())).send(due - BenchSocket.ORIGIN);
    }
    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
      LockSupport.parkNanos(end - now);
    }
    long windowAcks = senders.stream().mapToLong(BenchSocket::acked).sum();
    long windowDeliveries = sockets.stream().mapToLong(BenchSocket::received).sum();
    CpuMeter.Usage usage = CpuMeter.between(before, cpu.sample());
    double window = (System.nanoTime() - start) / 1e9;

    // Drain: every send answered, then every socket has every acknowledged message of its room.
    long sent = senders.stream().mapToLong(s -> s.sent.get()).sum();
    boolean answered = await(Duration.ofSeconds(10), () -> senders.stream().mapToLong(BenchSocket::replies).sum() >= sent
        || sockets.stream().anyMatch(BenchSocket::isClosed));
    Map<String, Long> ackedByRoom = new LinkedHashMap<>();
    for (BenchSocket s : senders) {
      ackedByRoom.merge(s.room, s.acked(), Long::sum);
    }
    boolean delivered = await(Duration.ofSeconds(5), () -> sockets.stream()
        .allMatch(s -> s.isClosed() || s.received() >= ackedByRoom.getOrDefault(s.room, 0L)));

    Step step = new Step(rate, seconds);
    step.cpu = usage;
    step.drained = answered && delivered;
    step.ackedPerSecond = windowAcks / window;
    step.deliveriesPerSecond = windowDeliveries / window;
    for (BenchSocket s : sockets) {
      BenchSocket.Counts c = s.counts();
      step.deliveries.add(c.deliveries());
      step.byLabel.computeIfAbsent(s.label, l -> new Histogram(120_000_000L, 3)).add(c.deliveries());
      step.ackLatency.add(c.ackLatency());
      step.acks += c.acks();
      step.errors += c.errors();
      step.gaps += c.gaps();
      step.duplicates += c.duplicates();
      step.loss += Math.max(0, ackedByRoom.getOrDefault(s.room, 0L) - c.received());
      if (step.firstError == null) {
        step.firstError = c.firstError();
      }
      if (s.isClosed()) {
        step.closes.add(s.closeStatus());
      }
    }
    step.sent = sent;
    return step;
  }

  private static String best(Step s) {
    return s == null ? "– | – | –" : String.format("%,.0f | %,.0f | %.0f", s.ackedPerSecond, s.deliveriesPerSecond,
        s.deliveries.getValueAtPercentile(99) / 1000.0);
  }

  private static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(10_000_000L);
    }
    return true;
  }

  private static final class Step {
    final long offered;
    final int seconds;
    final Histogram deliveries = new Histogram(120_000_000L, 3);
    final Histogram ackLatency = new Histogram(120_000_000L, 3);
    final Map<String, Histogram> byLabel = new LinkedHashMap<>();
    final List<Short> closes = new ArrayList<>();
    CpuMeter.Usage cpu;
    boolean drained;
    double ackedPerSecond;
    double deliveriesPerSecond;
    long sent;
    long acks;
    long errors;
    long gaps;
    long duplicates;
    long loss;
    String firstError;

    Step(long offered, int seconds) {
      this.offered = offered;
      this.seconds = seconds;
    }

    boolean brokeSockets() {
      return !closes.isEmpty();
    }

    /** Kept up, nothing lost, and p99 under 100 ms. */
    boolean passed() {
      return reasons().isEmpty();
    }

    /** Kept up and lost nothing, with a p99 under a second. */
    boolean keptUp() {
      return reasons(KEEP_UP_P99_MS).isEmpty();
    }

    String verdict() {
      return passed() ? "pass     " : keptUp() ? "slow     " : "FAIL     ";
    }

    String reasons() {
      return reasons(P99_LIMIT_MS);
    }

    String reasons(double p99LimitMs) {
      List<String> why = new ArrayList<>();
      if (ackedPerSecond < 0.95 * offered) {
        why.add(String.format("acks behind (%,.0f/s)", ackedPerSecond));
      }
      if (deliveries.getValueAtPercentile(99) / 1000.0 >= p99LimitMs) {
        why.add(String.format("p99 %.0f ms", deliveries.getValueAtPercentile(99) / 1000.0));
      }
      if (loss > 0 || gaps > 0 || duplicates > 0) {
        why.add((drained ? "loss " + loss : loss + " not delivered 5 s after the last answer") + ", gaps " + gaps
            + ", duplicates " + duplicates);
      }
      if (errors > 0) {
        int code = firstError == null ? -1 : firstError.indexOf("\"code\":\"");
        why.add(errors + " errors (" + (code < 0 ? firstError
            : firstError.substring(code + 8, firstError.indexOf('"', code + 8))) + ")");
      }
      if (!closes.isEmpty()) {
        why.add(closes.size() + " sockets closed " + closes);
      }
      if (!drained) {
        why.add("not drained");
      }
      return String.join("; ", why);
    }

    String line() {
      return String.format("offered %,6d/s  acked %,7.0f/s  delivered %,8.0f/s  delivery p50 %6.1f p99 %7.1f "
              + "max %7.1f ms  ack p99 %7.1f ms  loss %d  errors %d  | %s%s", offered, ackedPerSecond,
          deliveriesPerSecond, deliveries.getValueAtPercentile(50) / 1000.0,
          deliveries.getValueAtPercentile(99) / 1000.0, deliveries.getMaxValue() / 1000.0,
          ackLatency.getValueAtPercentile(99) / 1000.0, loss, errors, cpu.describe(),
          passed() ? "" : "  <- " + reasons());
    }

    String row(int nodes) {
      return String.format("| %d | %,d | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %s |",
          nodes, offered, ackedPerSecond, deliveriesPerSecond, deliveries.getValueAtPercentile(50) / 1000.0,
          deliveries.getValueAtPercentile(99) / 1000.0, deliveries.getMaxValue() / 1000.0, cpu.redis(), cpu.nodes(),
          cpu.postgres(), cpu.generator(), cpu.interrupts(), cpu.others(), cpu.machineBusy(),
          passed() ? "pass" : keptUp() ? "kept up, but " + reasons() : reasons(KEEP_UP_P99_MS));
    }

    void printByLabel() {
      for (Map.Entry<String, Histogram> e : byLabel.entrySet()) {
        Histogram h = e.getValue();
        System.out.printf("    %-30s %,7d msgs  p50 %6.1f  p99 %6.1f  p99.9 %6.1f  max %6.1f ms%n", e.getKey(),
            h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
      }
      System.out.printf("    %-30s %,7d acks  p50 %6.1f  p99 %6.1f  p99.9 %6.1f  max %6.1f ms%n", "ack to the sender",
          ackLatency.getTotalCount(), ackLatency.getValueAtPercentile(50) / 1000.0,
          ackLatency.getValueAtPercentile(99) / 1000.0, ackLatency.getValueAtPercentile(99.9) / 1000.0,
          ackLatency.getMaxValue() / 1000.0);
    }
  }

  // ---------------------------------------------------------------- output

  private void summary() {
    System.out.println();
    if (!latencyRows.isEmpty()) {
      System.out.printf("Latency from intended send time, 1 sender at %d msgs/s for %d s (after %d s warm-up):%n%n",
          latencyRate, latencySeconds, warmupSeconds);
      System.out.println("| setup | path | messages | p50 ms | p99 ms | p99.9 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|---|");
      latencyRows.forEach(System.out::println);
      System.out.println();
      System.out.println("| setup | loss | gaps + duplicates | errors | generator CPU | nodes CPU | PostgreSQL CPU "
          + "| Redis CPU | irq/softirq | others' CPU | machine busy |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      latencyCpuRows.forEach(System.out::println);
      System.out.println();
    }
    if (!throughputRows.isEmpty()) {
      System.out.printf("Throughput steps (%d s each; %d rooms; per node and room 1 sender + %d receivers):%n%n",
          stepSeconds, ROOMS, RECEIVERS_PER_ROOM_PER_NODE);
      System.out.println("| nodes | offered/s | acked/s | deliveries/s | p50 ms | p99 ms | max ms | Redis CPU "
          + "| nodes CPU | PostgreSQL CPU | generator CPU | irq/softirq | others' CPU | machine busy | verdict |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      throughputRows.forEach(System.out::println);
      System.out.println();
      System.out.println("| nodes | p99 < 100 ms: acked msgs/s | deliveries/s | p99 ms | kept up (p99 < 1 s): acked msgs/s "
          + "| deliveries/s | p99 ms | Redis CPU there | next step failed |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      bestRows.forEach(System.out::println);
      System.out.println();
    }
    System.out.println(serverNotes.isEmpty() ? "server logs: no WARN or ERROR lines"
        : "server log lines worth a look:\n  " + String.join("\n  ", serverNotes));
  }

  /** Parley nodes as separate processes of the packaged jar. */
  private static final class Nodes implements AutoCloseable {
    private final List<JarProcess> processes;

    private Nodes(List<JarProcess> processes) {
      this.processes = processes;
    }

    /** Starts the first node alone (it migrates the database), then the others together. */
    static Nodes start(int count, String[] args) throws Exception {
      List<JarProcess> started = new ArrayList<>();
      started.add(JarProcess.start(args));
      List<CompletableFuture<JarProcess>> rest = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        rest.add(CompletableFuture.supplyAsync(() -> {
          try {
            return JarProcess.start(args);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<JarProcess> f : rest) {
        started.add(f.get(120, TimeUnit.SECONDS));
      }
      return new Nodes(started);
    }

    int port(int i) {
      return processes.get(i).port();
    }

    int size() {
      return processes.size();
    }

    /** WARN and ERROR lines of the nodes' logs, grouped by kind (numbers masked), with a count and one example each. */
    List<String> problems(String setup) {
      List<String> notes = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> examples = new LinkedHashMap<>();
        for (String line : processes.get(i).log()) {
          if (!line.contains(" WARN ") && !line.contains(" ERROR ")) {
            continue;
          }
          String kind = line.substring(line.indexOf(' ') + 1).replaceAll("[0-9a-f]*[0-9][0-9a-f]*", "N");
          kind = kind.substring(0, Math.min(kind.length(), 100));
          counts.merge(kind, 1, Integer::sum);
          examples.putIfAbsent(kind, line);
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
          notes.add(String.format("%s node %d: %,d x  %s", setup, i + 1, e.getValue(), examples.get(e.getKey())));
        }
      }
      return notes;
    }

    @Override
    public void close() throws Exception {
      for (JarProcess p : processes) {
        p.terminate();
      }
      for (JarProcess p : processes) {
        if (!p.awaitExit(Duration.ofSeconds(20))) {
          p.kill();
        }
      }
    }
  }
}
