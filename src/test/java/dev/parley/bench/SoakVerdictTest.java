package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SoakVerdictTest {
  private static final SoakVerdict.Tolerances TOL = new SoakVerdict.Tolerances(1, 20, 2, 10, 8 * 1024, 0.001, 0.95);
  private static final SoakVerdict.Load FINE_LOAD =
      new SoakVerdict.Load(15_000, 15_000, 0, 15_000, 1000, 998, 600_000, 3);

  private static SoakSample reading(double seconds, long fds, double inFlight, long threads, long heapKib) {
    return new SoakSample("r", seconds, fds, threads, 900_000, heapKib, inFlight, -1, 0, 0, 0, 15_100);
  }

  private static final SoakSample PRE = reading(0, 15_030, 0, 31, 90_000);
  private static final SoakSample BASE = reading(60, 15_150, 120, 32, 100_000);
  private static final SoakSample AFTER = reading(610, 15_031, 0, 32, -1);

  private static SoakVerdict.Check check(SoakVerdict verdict, String name) {
    return verdict.checks().stream().filter(c -> c.name().startsWith(name)).findFirst().orElseThrow();
  }

  private static SoakVerdict judge(SoakSample last) {
    return SoakVerdict.judge(PRE, BASE, last, AFTER, true, FINE_LOAD, TOL);
  }

  @Test
  void aSoakWhoseFiguresStayPutPasses() {
    SoakVerdict verdict = judge(reading(600, 15_160, 130, 32, 101_000));
    assertTrue(verdict.pass(), verdict.checks().toString());
    assertEquals(7, verdict.checks().size());
  }

  @Test
  void fdsAreComparedNetOfTheChurnedConnectionsInFlight() {
    // 1,000 more descriptors, but 1,000 more churned sockets open at that instant: no growth.
    assertTrue(check(judge(reading(600, 16_150, 1_120, 32, 100_000)), "fds (net").pass());
    // The same count with the usual number in flight is a leak of about 1,000.
    assertFalse(check(judge(reading(600, 16_150, 120, 32, 100_000)), "fds (net").pass());
  }

  @Test
  void fdsMayGrowByOnePercentOfTheBaselineAndNoMore() {
    // baseline net 15,030: one percent is 151 (rounded up)
    assertEquals(151, SoakVerdict.fdAllowance(15_030, TOL));
    assertTrue(check(judge(reading(600, 15_150 + 151, 120, 32, 100_000)), "fds (net").pass());
    assertFalse(check(judge(reading(600, 15_150 + 152, 120, 32, 100_000)), "fds (net").pass());
  }

  @Test
  void aSmallServerStillGetsTheMinimumFdAllowance() {
    assertEquals(20, SoakVerdict.fdAllowance(300, TOL));
  }

  @Test
  void threadsMayVaryByTheToleranceOnly() {
    assertTrue(check(judge(reading(600, 15_150, 120, 34, 100_000)), "threads").pass());
    assertFalse(check(judge(reading(600, 15_150, 120, 35, 100_000)), "threads").pass());
  }

  @Test
  void heapAfterGcMayGrowByTenPercentOrEightMibWhicheverIsLarger() {
    assertEquals(10_000, SoakVerdict.heapAllowanceKib(100_000, TOL)); // 10 % of 97.7 MiB > 8 MiB
    assertEquals(8 * 1024, SoakVerdict.heapAllowanceKib(20_000, TOL)); // 8 MiB > 10 % of 19.5 MiB
    assertTrue(check(judge(reading(600, 15_150, 120, 32, 110_000)), "heap").pass());
    assertFalse(check(judge(reading(600, 15_150, 120, 32, 110_001)), "heap").pass());
  }

  @Test
  void aFigureThatCouldNotBeReadFailsItsCheck() {
    SoakVerdict verdict = judge(reading(600, 15_150, 120, 32, -1));
    assertFalse(verdict.pass());
    assertTrue(check(verdict, "heap").detail().startsWith("not measured"));
  }

  @Test
  void theHeapIsNotJudgedForAServerThatIsNotAJvm() {
    SoakSample noHeap = reading(600, 15_150, 120, 32, -1);
    SoakVerdict verdict = SoakVerdict.judge(PRE, BASE, noHeap, AFTER, false, FINE_LOAD, TOL);
    assertTrue(verdict.pass(), verdict.checks().toString());
    assertTrue(verdict.checks().stream().noneMatch(c -> c.name().startsWith("heap")));
  }

  @Test
  void descriptorsTheServerKeepsAfterChurnStoppedFail() {
    SoakSample last = reading(600, 15_150, 120, 32, 100_000);
    SoakSample kept = reading(610, 15_030 + 151, 0, 32, -1); // allowance over 15,030 is 151
    assertTrue(check(SoakVerdict.judge(PRE, BASE, last, kept, true, FINE_LOAD, TOL), "fds once").pass());
    SoakSample leaked = reading(610, 15_030 + 152, 0, 32, -1);
    assertFalse(check(SoakVerdict.judge(PRE, BASE, last, leaked, true, FINE_LOAD, TOL), "fds once").pass());
  }

  @Test
  void oneSteadyConnectionClosedFailsTheSoak() {
    SoakVerdict.Load closed = new SoakVerdict.Load(15_000, 15_000, 1, 14_999, 1000, 998, 600_000, 0);
    SoakVerdict verdict = SoakVerdict.judge(PRE, BASE, reading(600, 15_150, 120, 32, 100_000), AFTER, true, closed,
        TOL);
    assertFalse(verdict.pass());
    assertFalse(check(verdict, "steady").pass());
  }

  @Test
  void churnFailuresAboveTheFractionOrTooLowARateFailTheSoak() {
    SoakSample last = reading(600, 15_150, 120, 32, 100_000);
    SoakVerdict.Load failing = new SoakVerdict.Load(15_000, 15_000, 0, 15_000, 1000, 998, 600_000, 601);
    assertFalse(check(SoakVerdict.judge(PRE, BASE, last, AFTER, true, failing, TOL), "churn failures").pass());
    SoakVerdict.Load slow = new SoakVerdict.Load(15_000, 15_000, 0, 15_000, 1000, 949, 600_000, 0);
    assertFalse(check(SoakVerdict.judge(PRE, BASE, last, AFTER, true, slow, TOL), "churn rate").pass());
  }

  @Test
  void theTrendIsTheLeastSquaresSlopePerMinuteOverTheReadingsThatHaveTheFigure() {
    List<SoakSample> readings = List.of(reading(0, 100, 0, 30, 1_000), reading(60, 110, 0, 30, -1),
        reading(120, 120, 0, 30, 3_000), reading(180, 130, 0, 30, 4_000));
    assertEquals(10, SoakVerdict.slopePerMinute(readings, SoakSample::netFds), 1e-9);
    assertEquals(1_000, SoakVerdict.slopePerMinute(readings, SoakSample::heapKib), 1e-9);
    assertTrue(Double.isNaN(SoakVerdict.slopePerMinute(readings.subList(0, 1), SoakSample::netFds)));
  }
}
