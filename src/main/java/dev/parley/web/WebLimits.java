package dev.parley.web;

/**
 * The limits the transport enforces.
 *
 * @param maxFrame largest message a client may send, in bytes, after reassembly (close 1009)
 * @param maxBacklog outbound bytes a connection may have pending before it is closed (1013)
 * @param badFrames malformed frames answered within {@code badFrameWindowNanos}; one more closes (1008)
 * @param badFrameWindowNanos the window for {@code badFrames}
 * @param maxConnsPerIp open WebSockets per client address (0: no limit)
 * @param handshakeBurst upgrades a client address may make at once (0: no limit)
 * @param handshakeRate upgrades a client address regains per second
 * @param pingMillis how often sockets are pinged
 * @param deadMillis how long a socket may stay silent before it is closed
 * @param http the limits on plain HTTP connections (not WebSockets)
 */
public record WebLimits(int maxFrame, long maxBacklog, int badFrames, long badFrameWindowNanos, int maxConnsPerIp,
    int handshakeBurst, double handshakeRate, long pingMillis, long deadMillis, HttpLimits http) {

  /** The WebSocket limits given, with the default {@link HttpLimits}. */
  public WebLimits(int maxFrame, long maxBacklog, int badFrames, long badFrameWindowNanos, int maxConnsPerIp,
      int handshakeBurst, double handshakeRate, long pingMillis, long deadMillis) {
    this(maxFrame, maxBacklog, badFrames, badFrameWindowNanos, maxConnsPerIp, handshakeBurst, handshakeRate,
        pingMillis, deadMillis, HttpLimits.defaults());
  }

  /** These limits with other limits on plain HTTP connections. */
  public WebLimits withHttp(HttpLimits limits) {
    return new WebLimits(maxFrame, maxBacklog, badFrames, badFrameWindowNanos, maxConnsPerIp, handshakeBurst,
        handshakeRate, pingMillis, deadMillis, limits);
  }

  public static WebLimits defaults() {
    return new WebLimits(64 * 1024, 1024 * 1024, 50, 10_000_000_000L, 1000, 100, 50, 30_000, 60_000);
  }
}
