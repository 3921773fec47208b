package dev.parley.web;

import dev.parley.chat.Limits;
import java.util.Set;

/**
 * What the transport needs to know to serve.
 *
 * @param host the address to listen on
 * @param port the port to listen on (0: any free port)
 * @param allowedOrigins origins besides the server's own that may open WebSockets
 * @param chatLimits the per-connection limits of the domain
 * @param webLimits the transport's limits
 * @param leaveGraceMillis how long a disconnected session user stays listed before its "leave"
 * @param shutdownMillis how long shutdown may take before sockets are dropped
 * @param tls the certificate and key to serve TLS with, or {@code null} to serve plain HTTP
 * @param socketLoops how many event loops serve WebSockets (0: one per core)
 */
public record WebConfig(String host, int port, Set<String> allowedOrigins, Limits chatLimits, WebLimits webLimits,
    long leaveGraceMillis, long shutdownMillis, TlsFiles tls, int socketLoops) {

  /** With one socket loop per core. */
  public WebConfig(String host, int port, Set<String> allowedOrigins, Limits chatLimits, WebLimits webLimits,
      long leaveGraceMillis, long shutdownMillis, TlsFiles tls) {
    this(host, port, allowedOrigins, chatLimits, webLimits, leaveGraceMillis, shutdownMillis, tls, 0);
  }

  /** How many event loops serve WebSockets: as configured, or one per core. */
  public int socketLoopCount() {
    return socketLoops > 0 ? socketLoops : Runtime.getRuntime().availableProcessors();
  }

  /** Whether the server speaks TLS ({@code https://}, {@code wss://}). */
  public boolean secure() {
    return tls != null;
  }
}
