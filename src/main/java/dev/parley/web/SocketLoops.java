package dev.parley.web;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/** Chooses the event loops that serve WebSockets. */
final class SocketLoops {
  private SocketLoops() {}

  /**
   * The hub's loop and up to {@code count - 1} others from {@code group}, all distinct: the hub's
   * own sockets need no hand-over, and the others spread the writing of broadcasts over the cores.
   */
  static List<EventLoop> pick(EventLoop hubLoop, EventLoopGroup group, int count) {
    List<EventLoop> loops = new ArrayList<>(List.of(hubLoop));
    for (EventExecutor executor : group) {
      if (loops.size() >= count) {
        break;
      }
      if (executor instanceof EventLoop loop && !loops.contains(loop)) {
        loops.add(loop);
      }
    }
    return loops;
  }
}
