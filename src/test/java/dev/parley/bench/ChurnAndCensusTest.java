package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.TypeConversionException;

@Timeout(60)
class ChurnAndCensusTest {

  private static Map<ChurnPlan.Ending, Integer> endings(ChurnPlan plan, int n) {
    Map<ChurnPlan.Ending, Integer> counts = new EnumMap<>(ChurnPlan.Ending.class);
    for (int k = 0; k < n; k++) {
      counts.merge(plan.ending(k), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void aTenthOfTheChurnedConnectionsAreDroppedAlternatelyWithFinAndRst() {
    Map<ChurnPlan.Ending, Integer> counts = endings(new ChurnPlan(0.1, ChurnPlan.DropKind.BOTH), 1000);
    assertEquals(900, counts.get(ChurnPlan.Ending.CLEAN));
    assertEquals(50, counts.get(ChurnPlan.Ending.FIN));
    assertEquals(50, counts.get(ChurnPlan.Ending.RST));
    ChurnPlan plan = new ChurnPlan(0.1, ChurnPlan.DropKind.BOTH);
    assertEquals(ChurnPlan.Ending.FIN, plan.ending(9)); // the 10th
    assertEquals(ChurnPlan.Ending.RST, plan.ending(19)); // the 20th
    assertEquals(ChurnPlan.Ending.CLEAN, plan.ending(10));
  }

  @Test
  void noDropFractionMeansEveryConnectionClosesCleanlyAndOneMeansNone() {
    assertEquals(Map.of(ChurnPlan.Ending.CLEAN, 500), endings(new ChurnPlan(0, ChurnPlan.DropKind.BOTH), 500));
    assertEquals(Map.of(ChurnPlan.Ending.RST, 500), endings(new ChurnPlan(1, ChurnPlan.DropKind.RST), 500));
    assertThrows(IllegalArgumentException.class, () -> new ChurnPlan(1.5, ChurnPlan.DropKind.FIN));
  }

  @Test
  void theDropKindOptionTakesFinRstOrBothInAnyCase() {
    ChurnPlan.DropKind.Converter converter = new ChurnPlan.DropKind.Converter();
    assertEquals(ChurnPlan.DropKind.FIN, converter.convert("fin"));
    assertEquals(ChurnPlan.DropKind.BOTH, converter.convert("Both"));
    assertThrows(TypeConversionException.class, () -> converter.convert("kill"));
  }

  @Test
  void heapInUseIsReadFromG1ParallelAndZgcHeapInfo() {
    String g1 = String.join("\n",
        " garbage-first heap   total 57344K, used 10992K [0x0000000687400000, 0x0000000800000000)",
        "  region size 4096K, 0 young (0K), 0 survivors (0K)",
        " Metaspace       used 22151K, committed 22592K, reserved 1114112K",
        "  class space    used 2788K, committed 3008K, reserved 1048576K");
    assertEquals(OptionalLong.of(10_992), ServerCensus.parseHeapUsedKib(g1));
    String parallel = String.join("\n",
        " PSYoungGen      total 76288K, used 1310K [0x000000076b400000, 0x0000000770900000, 0x00000007c0000000)",
        "  eden space 65536K, 2% used [0x000000076b400000,0x000000076b547a08,0x000000076f400000)",
        " ParOldGen       total 175104K, used 2048K [0x00000006c1c00000, 0x00000006cc700000, 0x000000076b400000)",
        " Metaspace       used 3320K, committed 3456K, reserved 1056768K");
    assertEquals(OptionalLong.of(1310 + 2048), ServerCensus.parseHeapUsedKib(parallel));
    assertEquals(OptionalLong.of(8 * 1024),
        ServerCensus.parseHeapUsedKib(" ZHeap           used 8M, capacity 256M, max capacity 4096M\n"));
    assertEquals(OptionalLong.empty(), ServerCensus.parseHeapUsedKib("Could not attach\n"));
  }

  @Test
  void aClassHistogramIsReadByClassAndItsGrowthIsListedLargestFirst() {
    String before = String.join("\n", "12345:", " num     #instances         #bytes  class name (module)",
        "-------------------------------------------------------",
        "   1:         26675        2724168  [B (java.base@17.0.15)",
        "   2:          1000          48000  dev.parley.web.Connection",
        "   3:            10            480  dev.parley.chat.Peer",
        "Total         27685        2772648");
    String after = String.join("\n",
        "   1:         26675        2724168  [B (java.base@17.0.15)",
        "   2:          3000         144000  dev.parley.web.Connection",
        "   3:            20            960  dev.parley.chat.Peer",
        "   4:             5            120  dev.parley.chat.Room");
    Map<String, long[]> b = ServerCensus.parseHistogram(before);
    assertEquals(3, b.size());
    assertArrayEquals(new long[] {2_724_168, 26_675}, b.get("[B (java.base@17.0.15)"));
    List<ClassGrowth> growth = ClassGrowth.top(b, ServerCensus.parseHistogram(after), 2);
    assertEquals(List.of(new ClassGrowth("dev.parley.web.Connection", 96_000, 2_000),
        new ClassGrowth("dev.parley.chat.Peer", 480, 10)), growth);
    assertEquals(2_772_648, ClassGrowth.totalBytes(b));
  }

  @Test
  void procStatusFieldsThreadNamesAndTheConnectionsGaugeAreParsed() {
    assertEquals(OptionalLong.of(31), ServerCensus.statusField(List.of("Name:\tjava", "Threads:\t31"), "Threads"));
    assertEquals(OptionalLong.empty(), ServerCensus.statusField(List.of("Name:\tjava"), "Threads"));
    assertEquals("vert.x-eventloo", ServerCensus.threadGroup("vert.x-eventloo\n"));
    assertEquals("GC Thread##", ServerCensus.threadGroup("GC Thread#1"));
    assertEquals("Cleaner-#", ServerCensus.threadGroup("Cleaner-12"));
    String metrics = "# HELP parley_connections Open WebSocket connections\n# TYPE parley_connections gauge\n"
        + "parley_connections 15042.0\nparley_connections_other 3\n";
    assertEquals(OptionalLong.of(15_042), ServerCensus.parseConnectionsGauge(metrics));
    assertTrue(ServerCensus.parseConnectionsGauge("nothing here\n").isEmpty());
  }
}
