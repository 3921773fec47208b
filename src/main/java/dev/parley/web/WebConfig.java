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
 */
public record WebConfig(String host, int port, Set<String> allowedOrigins, Limits chatLimits, WebLimits webLimits,
    long leaveGraceMillis, long shutdownMillis, TlsFiles tls) {

  /** Whether the server speaks TLS ({@code https://}, {@code wss://}). */
  public boolean secure() {
    return tls != null;
  }
}
