package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each socket is pinged on its own schedule, counted from when it opened, not all in one turn. */
class HeartbeatTest {
  private static final long INTERVAL = 1_000;
  private final Heartbeat<String> heartbeat = new Heartbeat<>(INTERVAL);
  private final List<String> beaten = new ArrayList<>();

  private List<String> tick(long now, Set<String> closing) {
    beaten.clear();
    heartbeat.tick(now, (socket, at) -> {
      beaten.add(socket);
      return !closing.contains(socket);
    });
    return List.copyOf(beaten);
  }

  @Test
  void aTickBeatsOnlyTheSocketsWhoseIntervalHasRunOut() {
    heartbeat.add("a", 0);
    heartbeat.add("b", 300);
    heartbeat.add("c", 600);

    assertEquals(List.of(), tick(999, Set.of()));
    assertEquals(List.of("a"), tick(1_000, Set.of()));
    assertEquals(List.of("b"), tick(1_400, Set.of()));
    assertEquals(List.of("c"), tick(1_650, Set.of()));
    assertEquals(List.of(), tick(1_999, Set.of()));
  }

  @Test
  void aSocketBeatenIsDueAgainOneIntervalLater() {
    heartbeat.add("a", 0);
    heartbeat.add("b", 500);

    assertEquals(List.of("a"), tick(1_000, Set.of()));
    assertEquals(List.of("b"), tick(1_500, Set.of()));
    assertEquals(List.of("a"), tick(2_000, Set.of()));
    assertEquals(List.of("b"), tick(2_500, Set.of()));
  }

  @Test
  void aLateTickBeatsEverySocketThatFellDueMeanwhileOnce() {
    heartbeat.add("a", 0);
    heartbeat.add("b", 100);

    assertEquals(List.of("a", "b"), tick(5_000, Set.of()));
    assertEquals(List.of(), tick(5_999, Set.of()));
    assertEquals(List.of("a", "b"), tick(6_000, Set.of()));
  }

  @Test
  void aSocketThatClosedIsNeitherBeatenAgainNorCounted() {
    heartbeat.add("open", 0);
    heartbeat.add("closing", 0);
    heartbeat.add("removed", 0);
    heartbeat.remove("removed");

    assertEquals(List.of("open", "closing"), tick(1_000, Set.of("closing")));
    assertEquals(List.of("open"), tick(2_000, Set.of()));
    assertEquals(1, heartbeat.size());
    assertEquals(List.of("open"), heartbeat.all());
  }

  @Test
  void theTickIsASmallPartOfTheIntervalWithinSaneBounds() {
    assertEquals(100, Heartbeat.tickMillis(30_000));
    assertEquals(10, Heartbeat.tickMillis(200));
    assertEquals(25, Heartbeat.tickMillis(500));
  }
}
