package dev.parley.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench churn}: a soak for leaks. Holds S steady connections and, on top, opens
 * and closes R connections a second for D seconds (each churned connection upgrades, waits for
 * its hello on {@code /ws} and optionally joins a room, stays open for the hold time, then
 * closes: most of them cleanly, a fraction abruptly, see {@link ChurnPlan}). Every interval it
 * reads the server's open file descriptors, threads, resident memory and heap after a full
 * collection ({@link ServerCensus}), and at the end judges whether any of them grew between the
 * first reading after warm-up and the last ({@link SoakVerdict}): PASS, or FAIL and exit code 1.
 */
@Command(name = "churn", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Soak: hold S steady connections while opening and closing R connections a second for D "
        + "seconds; read the server's fds, threads, RSS and heap after GC every interval. PASS (exit 0) when none "
        + "of them grew, FAIL (exit 1) otherwise. Needs --server-pid, and the server running as the same user (jcmd).")
final class ChurnScenario implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTOGRAM_ROWS = 15;

  @Mixin
  Target target;

  @Option(names = "--steady", defaultValue = "15000",
      description = "Connections held open for the whole run (default: ${DEFAULT-VALUE}).")
  int steady;

  @Option(names = "--rate", defaultValue = "1000",
      description = "Churned connections started per second, open loop (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "600",
      description = "Seconds of churn, warm-up included (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--interval", defaultValue = "10",
      description = "Seconds between readings of the server (default: ${DEFAULT-VALUE}).")
  double interval;

  @Option(names = "--warmup", defaultValue = "-1",
      description = "Seconds of churn before the baseline reading (the first reading at or after it); "
          + "default: 60, or a third of the duration when that is shorter.")
  double warmup;

  @Option(names = "--hold-ms", defaultValue = "100",
      description = "How long a churned connection stays open once ready (default: ${DEFAULT-VALUE}).")
  long holdMs;

  @Option(names = "--churn-rooms", defaultValue = "0",
      description = "On /ws, churned connection k joins room <room-prefix>(k mod this) after its hello "
          + "and waits for the snapshot; 0: it only waits for the hello (default: ${DEFAULT-VALUE}).")
  int churnRooms;

  @Option(names = "--room-prefix", defaultValue = "churn-",
      description = "Room names of churned connections on /ws (default: ${DEFAULT-VALUE}).")
  String roomPrefix;

  @Option(names = "--drop-fraction", defaultValue = "0.1",
      description = "Fraction of churned connections dropped with no close frame (default: ${DEFAULT-VALUE}).")
  double dropFraction;

  @Option(names = "--drop-kind", defaultValue = "both", converter = ChurnPlan.DropKind.Converter.class,
      description = "How they are dropped: fin (TCP close), rst (TCP reset, SO_LINGER 0) or both, "
          + "alternately (default: ${DEFAULT-VALUE}).")
  ChurnPlan.DropKind dropKind;

  @Option(names = "--churn-timeout", defaultValue = "10",
      description = "Seconds a churned connection may take from connect to ready before it counts as "
          + "failed (default: ${DEFAULT-VALUE}).")
  double churnTimeout;

  @Option(names = "--close-timeout", defaultValue = "5",
      description = "Seconds a clean close waits for the server to close the TCP connection "
          + "(default: ${DEFAULT-VALUE}).")
  double closeTimeout;

  @Option(names = "--max-in-flight", defaultValue = "2000",
      description = "Churned connections open at once, at most; due ones beyond it are skipped "
          + "(default: ${DEFAULT-VALUE}; mind the limit on open files).")
  int maxInFlight;

  @Option(names = "--settle", defaultValue = "10",
      description = "Seconds after churn stopped before the last reading of file descriptors "
          + "(default: ${DEFAULT-VALUE}).")
  double settle;

  @Option(names = "--no-heap", description = "Do not read the heap (a server that is not a JVM).")
  boolean noHeap;

  @Option(names = "--no-histogram",
      description = "Do not take class histograms of live objects at the baseline and at the end.")
  boolean noHistogram;

  @Option(names = "--jcmd", description = "The jcmd executable (default: this JDK's, else the one on the PATH).")
  String jcmd;

  @Option(names = "--metrics-path", defaultValue = "/metrics",
      description = "Where the server counts its open WebSockets (Parley's parley_connections); '' for nowhere "
          + "(default: ${DEFAULT-VALUE}).")
  String metricsPath;

  @Option(names = "--fd-tolerance-pct", defaultValue = "1",
      description = "Allowed growth of fds, percent (default: ${DEFAULT-VALUE}).")
  double fdPct;

  @Option(names = "--fd-tolerance-min", defaultValue = "20",
      description = "Allowed growth of fds, at least this many (default: ${DEFAULT-VALUE}).")
  long fdMin;

  @Option(names = "--thread-tolerance", defaultValue = "2",
      description = "Allowed growth of threads (default: ${DEFAULT-VALUE}; the JVM adds and removes JIT "
          + "compiler threads).")
  long threadTolerance;

  @Option(names = "--heap-tolerance-pct", defaultValue = "10",
      description = "Allowed growth of the heap after GC, percent (default: ${DEFAULT-VALUE}) ...")
  double heapPct;

  @Option(names = "--heap-tolerance-mib", defaultValue = "8",
      description = "... or this many MiB, whichever is larger (default: ${DEFAULT-VALUE}).")
  double heapMib;

  @Option(names = "--max-failure-fraction", defaultValue = "0.001",
      description = "Churned connections that may fail, as a fraction (default: ${DEFAULT-VALUE}).")
  double maxFailureFraction;

  @Option(names = "--min-rate-fraction", defaultValue = "0.95",
      description = "Completed churns a second needed, as a fraction of --rate (default: ${DEFAULT-VALUE}).")
  double minRateFraction;

  @Override
  public Integer call() throws Exception {
    double warm = warmup >= 0 ? warmup : Math.min(60, duration / 3);
    if (steady < 0 || !(rate > 0) || !(duration > 0) || !(interval > 0) || holdMs < 0 || churnRooms < 0
        || maxInFlight < 1 || !(churnTimeout > 0) || !(closeTimeout > 0) || settle < 0) {
      System.err.println("churn: need steady >= 0, rate > 0, duration > 0, interval > 0, hold-ms >= 0, "
          + "churn-rooms >= 0, max-in-flight >= 1, timeouts > 0, settle >= 0");
      return 2;
    }
    if (warm + interval > duration) {
      System.err.printf(Locale.ROOT, "churn: the duration (%ss) must leave at least one interval (%ss) after the "
          + "warm-up (%ss), for a baseline and a last reading%n", Report.number(duration), Report.number(interval),
          Report.number(warm));
      return 2;
    }
    if (target.serverPid <= 0) {
      System.err.println("churn: --server-pid is required: a soak reads the server's fds, threads and heap");
      return 2;
    }
    ChurnPlan plan;
    try {
      plan = new ChurnPlan(dropFraction, dropKind);
    } catch (IllegalArgumentException e) {
      System.err.println("churn: " + e.getMessage());
      return 2;
    }
    boolean heap = !noHeap;
    boolean histograms = heap && !noHistogram;
    boolean ws = target.protocol.joinsRooms();
    int rooms = ws ? churnRooms : 0;
    if (!ws && churnRooms > 0) {
      System.err.println("churn: /chat puts every socket in its one room; --churn-rooms ignored");
    }
    SoakVerdict.Tolerances tol = new SoakVerdict.Tolerances(fdPct, fdMin, threadTolerance, heapPct,
        Math.round(heapMib * 1024), maxFailureFraction, minRateFraction);
    URI wsUri = target.uri();
    URI metrics = metricsPath.isEmpty() ? null
        : URI.create("http://" + wsUri.getRawAuthority() + (metricsPath.startsWith("/") ? "" : "/") + metricsPath);
    ServerCensus census = new ServerCensus(target.serverPid, jcmd != null ? jcmd : ServerCensus.defaultJcmd(), metrics);
    ServerProbe server = ServerProbe.of(target.serverPid);
    ServerProbe self = ServerProbe.self();
    if (census.threads().isEmpty()) {
      System.err.println("churn: no process " + target.serverPid + " to read in /proc");
      return 2;
    }

    Report report = target.report("churn");
    report.put("steady", steady).put("churn_per_s", rate).put("duration_s", duration).put("warmup_s", warm)
        .put("interval_s", interval).put("hold_ms", holdMs).put("churn_rooms", rooms)
        .put("drop_fraction", dropFraction).put("drop_kind", dropKind.toString())
        .put("churn_timeout_s", churnTimeout).put("max_in_flight", maxInFlight).put("server_pid", target.serverPid);
    System.err.printf(Locale.ROOT, "churn: %,d steady + %s/s churned on %s for %ss (warm-up %ss), a reading every %ss; "
            + "%s%% dropped (%s), the rest closed cleanly; hold %d ms%s%n", steady, Report.number(rate), target.uri(),
        Report.number(duration), Report.number(warm), Report.number(interval), Report.number(dropFraction * 100),
        dropKind, holdMs, rooms > 0 ? ", joining " + rooms + " rooms " + roomPrefix + "N" : "");
    System.err.println("churn: tolerances: " + tol.describe());

    Tally steadyTally = new Tally();
    ChurnTally churn = new ChurnTally();
    List<SoakSample> samples = new ArrayList<>();
    SoakSample pre;
    SoakSample base = null;
    SoakSample last = null;
    SoakSample after = null;
    Map<String, long[]> histoBase = Map.of();
    Map<String, long[]> histoLast = Map.of();
    Map<String, Integer> threadsPre;
    Map<String, Integer> threadsBase = Map.of();
    Map<String, Integer> threadsLast = Map.of();
    int steadyConnected;
    int steadyOpenAtEnd;
    long due;
    double churnSeconds;
    Snapshot cpuFrom;
    Snapshot cpuTo;
    try (Fleet fleet = new Fleet(target)) {
      report.put("source_addresses", fleet.sourceAddresses());
      List<BenchSocket> held = steady == 0 ? List.of()
          : fleet.open(steady, i -> new BenchSocket(i, null, target.protocol, steadyTally));
      steadyConnected = held.size();
      report.put("steady_connected", steadyConnected);
      if (steadyConnected < steady) {
        report.put("steady_connect_failure", fleet.firstFailure());
        System.err.printf(Locale.ROOT, "churn: only %,d of %,d steady connections opened: %s%n", steadyConnected,
            steady, fleet.firstFailure());
      }
      Clock.sleepUntil(Clock.now() + TimeUnit.SECONDS.toNanos(2)); // the server finishes greeting them
      // The first attach starts the JVM's Attach Listener thread (and its socket), for good: before
      // the first reading, so that it is not counted as growth.
      if (heap && census.heapAfterGcKib().isEmpty()) {
        System.err.println("churn: jcmd could not read the server's heap (not a JVM, or another user?); "
            + "the heap check will fail (use --no-heap for a server that is not a JVM)");
      }
      pre = sample(census, server, churn, steadyTally, heap, "before churn", -0.0);
      threadsPre = census.threadNames();
      progress(pre, churn, steadyTally, steadyConnected, null, 0);

      long t0 = Clock.now() + TimeUnit.MILLISECONDS.toNanos(20);
      long holdNanos = TimeUnit.MILLISECONDS.toNanos(holdMs);
      long timeoutNanos = (long) (churnTimeout * 1e9);
      long closeNanos = (long) (closeTimeout * 1e9);
      ChurnDriver driver = new ChurnDriver(fleet, churn, rate, maxInFlight, k -> new ChurnProbe(churn,
          target.protocol, rooms > 0 ? roomPrefix + (k % rooms) : null, plan.ending(k), holdNanos, timeoutNanos,
          closeNanos));
      driver.start(t0);
      cpuFrom = Snapshot.take(server, self, steadyTally);
      int readings = (int) Math.ceil(duration / interval - 1e-9);
      long churnedBefore = 0;
      for (int k = 1; k <= readings; k++) {
        double at = Math.min(k * interval, duration);
        Clock.sleepUntil(t0 + (long) (at * 1e9));
        SoakSample s = sample(census, server, churn, steadyTally, heap, k == readings ? "last" : "churn", at);
        samples.add(s);
        if (base == null && at >= warm) {
          s = relabel(s, "baseline");
          samples.set(samples.size() - 1, s);
          base = s;
          threadsBase = census.threadNames();
          if (histograms) {
            histoBase = census.classHistogram();
          }
        }
        double previousAt = k == 1 ? 0 : Math.min((k - 1) * interval, duration);
        progress(s, churn, steadyTally, steadyConnected, churn.interval()[1],
            (s.churned() - churnedBefore) / Math.max(1e-9, at - previousAt));
        churnedBefore = s.churned();
      }
      last = samples.get(samples.size() - 1);
      threadsLast = census.threadNames();
      if (histograms) {
        histoLast = census.classHistogram();
      }
      cpuTo = Snapshot.take(server, self, steadyTally);
      due = driver.stop();
      churnSeconds = (Clock.now() - t0) / 1e9;
      long drainEnd = Clock.now() + timeoutNanos + closeNanos + holdNanos + TimeUnit.SECONDS.toNanos(2);
      while (churn.inFlight.get() > 0 && Clock.now() < drainEnd) {
        Thread.sleep(20);
      }
      System.err.printf(Locale.ROOT, "churn: stopped after %ss; %,d churned connections still in flight; "
          + "settling %ss%n", Report.number(churnSeconds), churn.inFlight.get(), Report.number(settle));
      Clock.sleepUntil(Clock.now() + (long) (settle * 1e9));
      after = sample(census, server, churn, steadyTally, false, "after churn", churnSeconds + settle);
      progress(after, churn, steadyTally, steadyConnected, null, 0);
      steadyOpenAtEnd = (int) held.stream().filter(s -> s.channel() != null && s.channel().isActive()).count();
    }

    // ---------------------------------------------------------------- results
    long started = churn.started.sum();
    long completed = churn.completed();
    double overall = completed / Math.max(1e-9, churnSeconds);
    // The rate that counts is the one from the baseline to the last reading: warm-up may lag.
    double achieved = (last.churned() - base.churned()) / Math.max(1e-9, last.seconds() - base.seconds());
    SoakVerdict verdict = SoakVerdict.judge(pre, base, last, after, heap, new SoakVerdict.Load(steady,
        steadyConnected, steadyTally.closedCount(), steadyOpenAtEnd, rate, achieved, started, churn.failed.sum()), tol);
    List<SoakSample> measured = samples.subList(samples.indexOf(base), samples.size());

    report.put("churn_due", due).put("churn_started", started)
        .put("churn_skipped_at_max_in_flight", churn.skipped.sum())
        .put("churn_upgraded", churn.upgraded.sum()).put("churn_ready", churn.ready.sum())
        .put("churn_completed", completed).put("churn_closed_clean", churn.closedClean.sum())
        .put("churn_closed_no_close_frame_back", churn.closedNoEcho.sum())
        .put("churn_close_timeouts", churn.closeTimeouts.sum())
        .put("churn_dropped_fin", churn.droppedFin.sum()).put("churn_dropped_rst", churn.droppedRst.sum())
        .put("churn_failed", churn.failed.sum()).put("churn_seconds", Report.round(churnSeconds, 1))
        .put("churn_completed_per_s_overall", Report.round(overall, 1))
        .put("churn_completed_per_s_measured", Report.round(achieved, 1));
    if (!churn.failures().isEmpty()) {
      report.put("churn_failures", churn.failures().toString());
    }
    Histogram[] lat = churn.totals();
    report.put("upgrade_p50_ms", ms(lat[0], 50)).put("upgrade_p99_ms", ms(lat[0], 99))
        .put("upgrade_max_ms", lat[0].getMaxValue() / 1000.0)
        .put("ready_p50_ms", ms(lat[1], 50)).put("ready_p99_ms", ms(lat[1], 99))
        .put("ready_max_ms", lat[1].getMaxValue() / 1000.0);
    report.put("steady_closed_during_run", steadyTally.closedCount()).put("steady_open_at_end", steadyOpenAtEnd);
    if (steadyTally.closedCount() > 0) {
      report.put("steady_close_codes", steadyTally.closes().toString());
    }
    cpuFrom.cpuInto(report, cpuTo, completed, "churned_connection");
    figures(report, "server_fds_net", pre, base, last, after, samples, SoakSample::netFds);
    figures(report, "server_threads", pre, base, last, after, samples, s -> s.threads());
    figures(report, "server_rss_kib", pre, base, last, after, samples, s -> s.rssKib());
    if (heap) {
      figures(report, "server_heap_after_gc_kib", pre, base, last, null, samples, s -> s.heapKib());
      report.put("heap_after_gc_trend_kib_per_min",
          Report.round(SoakVerdict.slopePerMinute(measured, SoakSample::heapKib), 1));
    }
    report.put("fds_net_trend_per_min", Report.round(SoakVerdict.slopePerMinute(measured, SoakSample::netFds), 2));
    report.put("generator_fds_max", samples.stream().mapToLong(SoakSample::generatorFds).max().orElse(-1));
    List<ClassGrowth> growth = ClassGrowth.top(histoBase, histoLast, HISTOGRAM_ROWS);
    if (histograms && !histoBase.isEmpty() && !histoLast.isEmpty()) {
      report.put("histogram_live_bytes_baseline", ClassGrowth.totalBytes(histoBase))
          .put("histogram_live_bytes_last", ClassGrowth.totalBytes(histoLast));
    }
    report.put("verdict", verdict.pass() ? "PASS" : "FAIL");

    PrintStream out = System.out;
    out.println(samplesTable(pre, samples, after, heap));
    out.println(figuresTable(pre, base, last, after, samples, heap));
    if (histograms) {
      out.println(growthTable(growth, histoBase.isEmpty() || histoLast.isEmpty()));
    }
    out.println(threadDiff("before churn -> baseline", threadsPre, threadsBase));
    out.println(threadDiff("baseline -> last", threadsBase, threadsLast));
    out.print(report.table());
    out.println();
    out.println("verdict: " + (verdict.pass() ? "PASS" : "FAIL") + " (" + tol.describe() + ")");
    verdict.checks().forEach(c -> out.println("  " + c.line()));
    out.println(resultLine(report, tol, pre, samples, after, verdict, growth,
        List.of(threadsPre, threadsBase, threadsLast)));
    out.flush();
    return verdict.pass() ? 0 : 1;
  }

  private SoakSample sample(ServerCensus census, ServerProbe server, ChurnTally churn, Tally steadyTally,
      boolean heap, String label, double seconds) throws InterruptedException {
    int a = churn.inFlight.get();
    long fds = census.fds().orElse(-1);
    int b = churn.inFlight.get();
    long threads = census.threads().orElse(-1);
    long rss = server.rssKib().orElse(-1);
    long connections = census.metricsConnections().orElse(-1);
    long generatorFds = ServerCensus.fds(ProcessHandle.current().pid()).orElse(-1);
    long heapKib = heap ? census.heapAfterGcKib().orElse(-1) : -1;
    return new SoakSample(label, seconds, fds, threads, rss, heapKib, (a + b) / 2.0, connections, churn.completed(),
        churn.failed.sum(), steadyTally.closedCount(), generatorFds);
  }

  private static SoakSample relabel(SoakSample s, String label) {
    return new SoakSample(label, s.seconds(), s.fds(), s.threads(), s.rssKib(), s.heapKib(), s.inFlight(),
        s.serverConnections(), s.churned(), s.failed(), s.steadyClosed(), s.generatorFds());
  }

  private static void progress(SoakSample s, ChurnTally churn, Tally steadyTally, int steadyConnected,
      Histogram ready, double perSecond) {
    String latency = ready == null ? "" : ready.getTotalCount() == 0 ? ", no ready latencies"
        : String.format(Locale.ROOT, ", ready p50 %s ms p99 %s ms", Report.number(ms(ready, 50)),
            Report.number(ms(ready, 99)));
    System.err.printf(Locale.ROOT, "[%7.1fs] %s: %,d churned (%s/s), %,d failed, %,d skipped, %s in flight%s | "
            + "steady %,d open, %,d closed | server fds %s (net %s), threads %s, RSS %s MiB, heap after GC %s MiB, "
            + "connections %s | generator fds %s | load %s%n",
        s.seconds(), s.label(), s.churned(), Report.number(perSecond), s.failed(), churn.skipped.sum(),
        Report.number(s.inFlight()), latency, steadyConnected - s.steadyClosed(), s.steadyClosed(), count(s.fds()),
        s.fds() < 0 ? "?" : Report.number(s.netFds()), count(s.threads()),
        s.rssKib() < 0 ? "?" : SoakVerdict.mib(s.rssKib()), s.heapKib() < 0 ? "-" : SoakVerdict.mib(s.heapKib()),
        count(s.serverConnections()), count(s.generatorFds()),
        ServerProbe.loadAverage().isPresent() ? Report.number(ServerProbe.loadAverage().getAsDouble()) : "?");
  }

  private static String count(long n) {
    return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /**
   * Puts {@code key_pre}, {@code _baseline}, {@code _last}, {@code _min}, {@code _max} (over the
   * readings while churning) and {@code _after}.
   */
  private static void figures(Report report, String key, SoakSample pre, SoakSample base, SoakSample last,
      SoakSample after, List<SoakSample> churning, ToDoubleFunction<SoakSample> f) {
    report.put(key + "_pre", number(f.applyAsDouble(pre))).put(key + "_baseline", number(f.applyAsDouble(base)))
        .put(key + "_last", number(f.applyAsDouble(last)))
        .put(key + "_min", number(churning.stream().mapToDouble(f).filter(v -> v >= 0).min().orElse(-1)))
        .put(key + "_max", number(churning.stream().mapToDouble(f).max().orElse(-1)));
    if (after != null) {
      report.put(key + "_after", number(f.applyAsDouble(after)));
    }
  }

  /** Whole numbers as longs (grouped in the table), others rounded to one decimal. */
  private static Object number(double v) {
    return v == Math.rint(v) ? (Object) (long) v : (Object) Report.round(v, 1);
  }

  private static String samplesTable(SoakSample pre, List<SoakSample> samples, SoakSample after, boolean heap) {
    StringBuilder b = new StringBuilder("Readings of the server (fds net = open fds minus churned connections "
        + "in flight; heap after a full GC)\n");
    b.append(String.format(Locale.ROOT, "  %-12s %8s %8s %9s %8s %8s %9s %9s %11s %11s %7s %7s%n", "reading", "t_s",
        "fds", "fds_net", "threads", "rss_MiB", heap ? "heap_MiB" : "heap", "in_flight", "connections", "churned",
        "failed", "steady_closed"));
    List<SoakSample> all = new ArrayList<>();
    all.add(pre);
    all.addAll(samples);
    if (after != null) {
      all.add(after);
    }
    for (SoakSample s : all) {
      b.append(String.format(Locale.ROOT, "  %-12s %8.1f %8s %9s %8s %8s %9s %9s %11s %11s %7s %7s%n", s.label(),
          s.seconds(), count(s.fds()), s.fds() < 0 ? "?" : Report.number(s.netFds()), count(s.threads()),
          s.rssKib() < 0 ? "?" : SoakVerdict.mib(s.rssKib()), s.heapKib() < 0 ? "-" : SoakVerdict.mib(s.heapKib()),
          Report.number(s.inFlight()), count(s.serverConnections()), count(s.churned()), count(s.failed()),
          count(s.steadyClosed())));
    }
    return b.toString();
  }

  private static String figuresTable(SoakSample pre, SoakSample base, SoakSample last, SoakSample after,
      List<SoakSample> samples, boolean heap) {
    StringBuilder b = new StringBuilder("Summary (min and max over every reading while churning)\n");
    b.append(String.format(Locale.ROOT, "  %-22s %11s %11s %11s %11s %11s %11s%n", "figure", "before", "baseline",
        "last", "min", "max", "after"));
    row(b, "fds net of in-flight", pre, base, last, after, samples, SoakSample::netFds, 1);
    row(b, "threads", pre, base, last, after, samples, s -> s.threads(), 1);
    row(b, "RSS MiB", pre, base, last, after, samples, s -> s.rssKib(), 1024);
    if (heap) {
      row(b, "heap after GC MiB", pre, base, last, null, samples, s -> s.heapKib(), 1024);
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, SoakSample pre, SoakSample base, SoakSample last,
      SoakSample after, List<SoakSample> samples, ToDoubleFunction<SoakSample> f, double divide) {
    ToDoubleFunction<SoakSample> g = s -> f.applyAsDouble(s) < 0 ? -1 : f.applyAsDouble(s) / divide;
    b.append(String.format(Locale.ROOT, "  %-22s %11s %11s %11s %11s %11s %11s%n", name, cell(g.applyAsDouble(pre)),
        cell(g.applyAsDouble(base)), cell(g.applyAsDouble(last)),
        cell(samples.stream().mapToDouble(g).filter(v -> v >= 0).min().orElse(-1)),
        cell(samples.stream().mapToDouble(g).max().orElse(-1)), after == null ? "-" : cell(g.applyAsDouble(after))));
  }

  private static String cell(double v) {
    return v < 0 ? "?" : Report.number(v);
  }

  private static String growthTable(List<ClassGrowth> growth, boolean missing) {
    StringBuilder b = new StringBuilder("Live objects that grew from the baseline to the last reading "
        + "(jcmd GC.class_histogram, the same as jmap -histo:live)\n");
    if (missing) {
      return b.append("  (no histogram: jcmd failed)\n").toString();
    }
    if (growth.isEmpty()) {
      return b.append("  (nothing grew)\n").toString();
    }
    b.append(String.format(Locale.ROOT, "  %14s %12s  %s%n", "bytes", "instances", "class"));
    for (ClassGrowth g : growth) {
      b.append(String.format(Locale.ROOT, "  %+,14d %+,12d  %s%n", g.bytes(), g.instances(), g.className()));
    }
    return b.toString();
  }

  private static String threadDiff(String when, Map<String, Integer> before, Map<String, Integer> after) {
    StringBuilder b = new StringBuilder("Server threads by name, " + when + " (digits shown as #)\n");
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    boolean any = false;
    for (String n : names) {
      int x = before.getOrDefault(n, 0);
      int y = after.getOrDefault(n, 0);
      if (x != y) {
        any = true;
        b.append(String.format(Locale.ROOT, "  %-20s %3d -> %3d%n", n, x, y));
      }
    }
    if (!any) {
      b.append(String.format(Locale.ROOT, "  (the same %d threads in %d groups)%n",
          before.values().stream().mapToInt(Integer::intValue).sum(), before.size()));
    }
    return b.toString();
  }

  /** The report's RESULT line with the readings, the checks and the class growth added. */
  private static String resultLine(Report report, SoakVerdict.Tolerances tol, SoakSample pre,
      List<SoakSample> samples, SoakSample after, SoakVerdict verdict, List<ClassGrowth> growth,
      List<Map<String, Integer>> threadNames) throws Exception {
    Map<String, Object> json = JSON.readValue(report.resultLine().substring(Report.PREFIX.length()),
        new TypeReference<LinkedHashMap<String, Object>>() { });
    json.put("tolerances", tol.describe());
    List<Map<String, Object>> readings = new ArrayList<>();
    List<SoakSample> all = new ArrayList<>();
    all.add(pre);
    all.addAll(samples);
    if (after != null) {
      all.add(after);
    }
    for (SoakSample s : all) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("reading", s.label());
      r.put("t_s", Report.round(s.seconds(), 1));
      r.put("fds", s.fds());
      r.put("fds_net", Report.round(s.netFds(), 1));
      r.put("threads", s.threads());
      r.put("rss_kib", s.rssKib());
      r.put("heap_after_gc_kib", s.heapKib());
      r.put("in_flight", s.inFlight());
      r.put("server_connections", s.serverConnections());
      r.put("churned", s.churned());
      r.put("failed", s.failed());
      r.put("steady_closed", s.steadyClosed());
      r.put("generator_fds", s.generatorFds());
      readings.add(r);
    }
    json.put("readings", readings);
    List<Map<String, Object>> checks = new ArrayList<>();
    for (SoakVerdict.Check c : verdict.checks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("check", c.name());
      m.put("pass", c.pass());
      m.put("detail", c.detail());
      checks.add(m);
    }
    json.put("checks", checks);
    List<Map<String, Object>> grown = new ArrayList<>();
    for (ClassGrowth g : growth) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("class", g.className());
      m.put("bytes", g.bytes());
      m.put("instances", g.instances());
      grown.add(m);
    }
    json.put("histogram_growth", grown);
    json.put("threads_before_churn", threadNames.get(0));
    json.put("threads_baseline", threadNames.get(1));
    json.put("threads_last", threadNames.get(2));
    return Report.PREFIX + JSON.writeValueAsString(json);
  }
}
