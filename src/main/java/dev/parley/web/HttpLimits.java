package dev.parley.web;

/**
 * The limits on plain HTTP connections: those that are not, or not yet, WebSockets. See
 * {@link HttpConnectionGuard}, which enforces them.
 *
 * @param maxConnsPerIp plain HTTP connections one client address may hold open at once; a
 *     new one over it is closed at once (0: no limit)
 * @param headerTimeoutMillis how long a new connection may take to deliver a complete request
 *     head (and a WebSocket handshake to complete once asked for)
 * @param idleTimeoutMillis how long a keep-alive connection may wait after a response for its
 *     next complete request head
 */
public record HttpLimits(int maxConnsPerIp, long headerTimeoutMillis, long idleTimeoutMillis) {

  public HttpLimits {
    if (headerTimeoutMillis <= 0 || idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("HTTP timeouts must be positive: header " + headerTimeoutMillis
          + " ms, idle " + idleTimeoutMillis + " ms");
    }
  }

  public static HttpLimits defaults() {
    return new HttpLimits(256, 10_000, 60_000);
  }
}
