package dev.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether a churn soak passed: nothing grew between the first reading after warm-up and the
 * last one, the server let go of the churned sockets once churn stopped, and the load the soak
 * claims to have applied was applied.
 *
 * <ul>
 *   <li><b>fds</b>: the last reading, net of the churned connections in flight, at most the
 *       baseline's net figure plus {@code fdPct} percent (at least {@code fdMin} descriptors);
 *   <li><b>threads</b>: at most the baseline plus {@code threads} (the JVM starts and stops JIT
 *       compiler threads by itself);
 *   <li><b>heap after GC</b>: at most the baseline plus {@code heapPct} percent or
 *       {@code heapMinKib}, whichever is larger;
 *   <li><b>fds after churn stopped</b>: once churn stopped and the settle time passed, at most
 *       the reading before churn started plus the same fd allowance;
 *   <li><b>steady connections</b>: all connected, none closed, all still open at the end;
 *   <li><b>churn failures</b>: at most {@code maxFailureFraction} of the churned connections;
 *   <li><b>churn rate</b>: completed churns per second from the baseline to the last reading at
 *       least {@code minRateFraction} of the offered rate.
 * </ul>
 *
 * A figure that could not be read fails its check: a soak that did not look cannot pass.
 */
final class SoakVerdict {

  record Tolerances(double fdPct, long fdMin, long threads, double heapPct, long heapMinKib,
      double maxFailureFraction, double minRateFraction) {

    /** The tolerances in words, for the report. */
    String describe() {
      return String.format(Locale.ROOT, "fds +%s%% (at least +%d) net of churn in flight; threads +%d; "
              + "heap after GC +%s%% or +%s MiB; churn failures <= %s%%; churn rate >= %s%% of offered",
          Report.number(fdPct), fdMin, threads, Report.number(heapPct), Report.number(heapMinKib / 1024.0),
          Report.number(maxFailureFraction * 100), Report.number(minRateFraction * 100));
    }
  }

  /** What the run applied, beside the readings. */
  record Load(int steadyWanted, int steadyConnected, long steadyClosed, int steadyOpenAtEnd, double offeredRate,
      double achievedRate, long churnStarted, long churnFailed) {}

  record Check(String name, boolean pass, String detail) {
    String line() {
      return (pass ? "PASS  " : "FAIL  ") + name + ": " + detail;
    }
  }

  private final List<Check> checks;

  private SoakVerdict(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  List<Check> checks() {
    return checks;
  }

  boolean pass() {
    return checks.stream().allMatch(Check::pass);
  }

  /**
   * Judges a soak. {@code pre}: before churn; {@code base}: the first reading after warm-up;
   * {@code last}: the last reading while churning; {@code after}: once churn stopped and settled
   * (null when there is none). With {@code heap} false the heap is not judged (a server that is
   * not a JVM).
   */
  static SoakVerdict judge(SoakSample pre, SoakSample base, SoakSample last, SoakSample after, boolean heap,
      Load load, Tolerances tol) {
    List<Check> checks = new ArrayList<>();
    checks.add(fds(base, last, tol));
    checks.add(threads(base, last, tol));
    if (heap) {
      checks.add(heap(base, last, tol));
    }
    if (after != null) {
      checks.add(fdsAfter(pre, after, tol));
    }
    checks.add(steady(load));
    checks.add(failures(load, tol));
    checks.add(rate(load, tol));
    return new SoakVerdict(checks);
  }

  /** How many more file descriptors than {@code base} are allowed. */
  static long fdAllowance(double base, Tolerances tol) {
    return Math.max(tol.fdMin(), (long) Math.ceil(base * tol.fdPct() / 100));
  }

  /** How many more KiB of heap than {@code baseKib} are allowed. */
  static long heapAllowanceKib(long baseKib, Tolerances tol) {
    return Math.max(tol.heapMinKib(), (long) Math.ceil(baseKib * tol.heapPct() / 100));
  }

  private static Check fds(SoakSample base, SoakSample last, Tolerances tol) {
    String name = "fds (net of churn in flight)";
    if (base.fds() < 0 || last.fds() < 0) {
      return new Check(name, false, "not measured");
    }
    double b = base.netFds();
    double l = last.netFds();
    long allowed = fdAllowance(b, tol);
    return new Check(name, l <= b + allowed, String.format(Locale.ROOT,
        "%s at %ss -> %s at %ss (%,d and %,d open, %s and %s churned in flight); allowed <= %s (+%,d)",
        Report.number(b), Report.number(base.seconds()), Report.number(l), Report.number(last.seconds()),
        base.fds(), last.fds(), Report.number(base.inFlight()), Report.number(last.inFlight()),
        Report.number(b + allowed), allowed));
  }

  private static Check threads(SoakSample base, SoakSample last, Tolerances tol) {
    if (base.threads() < 0 || last.threads() < 0) {
      return new Check("threads", false, "not measured");
    }
    long allowed = base.threads() + tol.threads();
    return new Check("threads", last.threads() <= allowed, String.format(Locale.ROOT,
        "%d at %ss -> %d at %ss; allowed <= %d (+%d)", base.threads(), Report.number(base.seconds()),
        last.threads(), Report.number(last.seconds()), allowed, tol.threads()));
  }

  private static Check heap(SoakSample base, SoakSample last, Tolerances tol) {
    if (base.heapKib() < 0 || last.heapKib() < 0) {
      return new Check("heap after GC", false, "not measured (jcmd failed, or not a JVM: use --no-heap)");
    }
    long allowance = heapAllowanceKib(base.heapKib(), tol);
    long allowed = base.heapKib() + allowance;
    return new Check("heap after GC", last.heapKib() <= allowed, String.format(Locale.ROOT,
        "%s MiB at %ss -> %s MiB at %ss (%+.1f%%); allowed <= %s MiB (+%s MiB)", mib(base.heapKib()),
        Report.number(base.seconds()), mib(last.heapKib()), Report.number(last.seconds()),
        100.0 * (last.heapKib() - base.heapKib()) / Math.max(1, base.heapKib()), mib(allowed), mib(allowance)));
  }

  private static Check fdsAfter(SoakSample pre, SoakSample after, Tolerances tol) {
    String name = "fds once churn stopped";
    if (pre.fds() < 0 || after.fds() < 0) {
      return new Check(name, false, "not measured");
    }
    double a = after.netFds();
    long allowance = fdAllowance(pre.fds(), tol);
    return new Check(name, a <= pre.fds() + allowance, String.format(Locale.ROOT,
        "%s before churn -> %s after it (%,d open, %s churned still in flight); allowed <= %,d (+%,d)",
        Report.number(pre.fds()), Report.number(a), after.fds(), Report.number(after.inFlight()),
        pre.fds() + allowance, allowance));
  }

  private static Check steady(Load load) {
    boolean pass = load.steadyConnected() == load.steadyWanted() && load.steadyClosed() == 0
        && load.steadyOpenAtEnd() == load.steadyConnected();
    return new Check("steady connections", pass, String.format(Locale.ROOT,
        "%,d of %,d connected, %,d closed during the run, %,d open at the end", load.steadyConnected(),
        load.steadyWanted(), load.steadyClosed(), load.steadyOpenAtEnd()));
  }

  private static Check failures(Load load, Tolerances tol) {
    double allowed = Math.floor(load.churnStarted() * tol.maxFailureFraction());
    return new Check("churn failures", load.churnFailed() <= allowed, String.format(Locale.ROOT,
        "%,d of %,d churned connections (%s%%); allowed <= %,d (%s%%)", load.churnFailed(), load.churnStarted(),
        Report.number(100.0 * load.churnFailed() / Math.max(1, load.churnStarted())), (long) allowed,
        Report.number(tol.maxFailureFraction() * 100)));
  }

  private static Check rate(Load load, Tolerances tol) {
    double needed = load.offeredRate() * tol.minRateFraction();
    return new Check("churn rate", load.achievedRate() >= needed, String.format(Locale.ROOT,
        "%s/s completed from the baseline to the last reading, of %s/s offered; needed >= %s/s (%s%%)",
        Report.number(load.achievedRate()),
        Report.number(load.offeredRate()), Report.number(needed), Report.number(tol.minRateFraction() * 100)));
  }

  /**
   * The least-squares slope of {@code f} over the {@code samples} that have it (>= 0) against their time, per minute:
   * a steady leak shows as a slope well above zero even when first and last happen to be close.
   * NaN with fewer than two readings (or all at one time).
   */
  static double slopePerMinute(List<SoakSample> samples, ToDoubleFunction<SoakSample> f) {
    List<SoakSample> read = samples.stream().filter(s -> f.applyAsDouble(s) >= 0).toList();
    int n = read.size();
    if (n < 2) {
      return Double.NaN;
    }
    double sx = 0;
    double sy = 0;
    for (SoakSample s : read) {
      sx += s.seconds();
      sy += f.applyAsDouble(s);
    }
    double mx = sx / n;
    double my = sy / n;
    double sxy = 0;
    double sxx = 0;
    for (SoakSample s : read) {
      double dx = s.seconds() - mx;
      sxy += dx * (f.applyAsDouble(s) - my);
      sxx += dx * dx;
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 60;
  }

  static String mib(long kib) {
    return Report.number(kib / 1024.0);
  }
}
