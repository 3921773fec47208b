package dev.parley.web;

import dev.parley.chat.TokenBucket;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-address limits on WebSocket upgrades: how many may be open, and how fast new ones may
 * come. Used on the hub's thread only.
 */
final class UpgradeGate {
  /** Why an upgrade was refused, with the HTTP status to answer. */
  enum Verdict { ALLOWED, TOO_MANY_CONNECTIONS, TOO_FAST }

  private final WebLimits limits;
  private final Map<String, Integer> open = new HashMap<>();
  private final Map<String, TokenBucket> handshakes = new HashMap<>();

  UpgradeGate(WebLimits limits) {
    this.limits = limits;
  }

  /** Checks an upgrade from {@code ip}; when allowed, it counts as open until {@link #closed}. */
  Verdict admit(String ip, long now) {
    if (limits.handshakeBurst() > 0) {
      TokenBucket bucket = handshakes.computeIfAbsent(ip,
          a -> new TokenBucket(limits.handshakeBurst(), limits.handshakeRate(), now));
      if (!bucket.hasToken(now)) {
        return Verdict.TOO_FAST;
      }
      bucket.take(now);
    }
    int count = open.getOrDefault(ip, 0);
    if (limits.maxConnsPerIp() > 0 && count >= limits.maxConnsPerIp()) {
      return Verdict.TOO_MANY_CONNECTIONS;
    }
    open.put(ip, count + 1);
    return Verdict.ALLOWED;
  }

  void closed(String ip) {
    open.computeIfPresent(ip, (a, n) -> n > 1 ? n - 1 : null);
  }

  /** Forgets the handshake buckets of quiet addresses, so the map does not grow without bound. */
  void sweep(long now) {
    handshakes.entrySet().removeIf(e -> e.getValue().isFull(now));
  }
}
