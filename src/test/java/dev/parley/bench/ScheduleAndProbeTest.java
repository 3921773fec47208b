package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ScheduleAndProbeTest {

  @Test
  void anOpenLoopScheduleSpacesMessagesEvenlyFromItsStart() {
    RateSchedule schedule = new RateSchedule(1000, 5_000);
    assertEquals(5_000, schedule.at(0));
    assertEquals(5_000 + 1_000_000, schedule.at(1));
    assertEquals(5_000 + 1_000_000_000L, schedule.at(1000));
  }

  @Test
  void messagesAreDueOnceTheirTimeHasCome() {
    RateSchedule schedule = new RateSchedule(3, 0); // 0, 333333333, 666666666, 1000000000, …
    assertEquals(0, schedule.dueBy(-1));
    assertEquals(1, schedule.dueBy(0));
    assertEquals(1, schedule.dueBy(333_333_332));
    assertEquals(2, schedule.dueBy(333_333_333));
    assertEquals(4, schedule.dueBy(1_000_000_000));
    for (long t = 0; t < 3_000_000_000L; t += 7_777_777) {
      long n = schedule.dueBy(t);
      assertTrue(schedule.at(n - 1) <= t && schedule.at(n) > t, "at " + t);
    }
  }

  @Test
  void sourceAddressesStartAt127002AndMoveToTheNextBlockAfter250() {
    assertEquals("127.0.0.2", SourceAddresses.address(0).getHostAddress());
    assertEquals("127.0.0.251", SourceAddresses.address(249).getHostAddress());
    assertEquals("127.0.1.2", SourceAddresses.address(250).getHostAddress());
    SourceAddresses three = new SourceAddresses(3);
    assertEquals("127.0.0.2", three.next().getAddress().getHostAddress());
    assertEquals("127.0.0.3", three.next().getAddress().getHostAddress());
    assertEquals("127.0.0.4", three.next().getAddress().getHostAddress());
    assertEquals("127.0.0.2", three.next().getAddress().getHostAddress());
    assertEquals(0, three.next().getPort());
    assertNull(new SourceAddresses(0).next());
  }

  @Test
  void procLinesAreParsedForMemoryAndCpu() {
    assertEquals(123456, ServerProbe.parseKib("VmRSS:\t  123456 kB"));
    String stat = "4242 (java (odd) name) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
    assertEquals(1234 + 567, ServerProbe.parseCpuTicks(stat));
  }
}
