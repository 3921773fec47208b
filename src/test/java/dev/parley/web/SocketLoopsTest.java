package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which event loops serve WebSockets: the hub's first, then distinct others. */
class SocketLoopsTest {
  private final EventLoopGroup group = new DefaultEventLoopGroup(4);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }

  @Test
  void theHubsLoopComesFirstAndTheOthersAreDistinct() {
    EventLoop hub = group.next();
    List<EventLoop> loops = SocketLoops.pick(hub, group, 3);
    assertEquals(3, loops.size());
    assertSame(hub, loops.get(0));
    assertEquals(3, new HashSet<>(loops).size(), "no loop twice: " + loops);
  }

  @Test
  void oneLoopIsTheHubsAlone() {
    EventLoop hub = group.next();
    assertEquals(List.of(hub), SocketLoops.pick(hub, group, 1));
  }

  @Test
  void askingForMoreLoopsThanTheGroupHasGivesEachOnce() {
    EventLoop hub = group.next();
    List<EventLoop> loops = SocketLoops.pick(hub, group, 10);
    assertEquals(4, loops.size());
    assertEquals(4, new HashSet<>(loops).size());
  }
}
