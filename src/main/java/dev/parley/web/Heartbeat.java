package dev.parley.web;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open sockets, each pinged every interval counted from its own start, a few per tick.
 *
 * <p>Pinging every socket in the same turn of the loop stalls it: 19,000 sockets pinged at once,
 * then their 19,000 pongs, held the event loop for about 0.4 s every 30 s, and every message in
 * flight waited that long (it was the whole tail of the many-rooms benchmark). Sockets arrive
 * spread out in time, so their pings spread out the same way.
 *
 * <p>The sockets are kept in the order they are due (a socket pinged goes to the back, due one
 * interval later), so a tick looks only at those due. Threading: one thread only.
 *
 * @param <T> a socket
 */
final class Heartbeat<T> {
  /** What a tick does to a socket that is due. */
  interface Pulse<T> {
    /** Pings {@code socket} or closes it; returns whether it is still open. */
    boolean beat(T socket, long nowNanos);
  }

  private final long intervalNanos;
  private final LinkedHashMap<T, Due> sockets = new LinkedHashMap<>();

  Heartbeat(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** How often to {@link #tick}: often enough that a ping is late by a small part of the interval. */
  static long tickMillis(long intervalMillis) {
    return Math.max(10, Math.min(100, intervalMillis / 20));
  }

  /** A socket opened now: its first ping is due one interval from now. */
  void add(T socket, long nowNanos) {
    sockets.put(socket, new Due(nowNanos + intervalNanos));
  }

  void remove(T socket) {
    sockets.remove(socket);
  }

  int size() {
    return sockets.size();
  }

  /** The open sockets, as a copy that may be changed or iterated while sockets close. */
  List<T> all() {
    return new ArrayList<>(sockets.keySet());
  }

  /** Beats every socket that is due; those still open are due again one interval from now. */
  void tick(long nowNanos, Pulse<T> pulse) {
    List<Map.Entry<T, Due>> again = new ArrayList<>();
    Iterator<Map.Entry<T, Due>> due = sockets.entrySet().iterator();
    while (due.hasNext()) {
      Map.Entry<T, Due> next = due.next();
      if (next.getValue().nanos - nowNanos > 0) {
        break;
      }
      due.remove();
      again.add(next);
    }
    for (Map.Entry<T, Due> socket : again) {
      if (pulse.beat(socket.getKey(), nowNanos)) {
        socket.getValue().nanos = nowNanos + intervalNanos;
        sockets.put(socket.getKey(), socket.getValue());
      }
    }
  }

  private static final class Due {
    long nanos;

    Due(long nanos) {
      this.nanos = nanos;
    }
  }
}
