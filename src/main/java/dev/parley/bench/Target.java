package dev.parley.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** The options every scenario shares: which server, which protocol, how the generator connects. */
final class Target {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--protocol", defaultValue = "chat", converter = Dialect.Converter.class,
      description = "chat: plain text on /chat; ws: JSON on /ws (default: ${DEFAULT-VALUE}).")
  Dialect protocol;

  @Option(names = "--path", description = "WebSocket path, when not the protocol's usual one (/chat or /ws).")
  String path;

  @Option(names = "--threads", defaultValue = "1", description = "Generator event-loop threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--server-pid", defaultValue = "0",
      description = "The server's process id, to read its memory and CPU from /proc (0: don't).")
  long serverPid;

  @Option(names = "--sources", defaultValue = "64",
      description = "Source addresses 127.0.0.2, 127.0.0.3, … to spread sockets over, for a loopback server; "
          + "0: let the kernel choose (default: ${DEFAULT-VALUE}).")
  int sources;

  @Option(names = "--connect-concurrency", defaultValue = "200",
      description = "Connections being opened at once (default: ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(names = "--label", defaultValue = "",
      description = "A name for the server under test, copied into the results (e.g. parley, ktor-seed).")
  String label;

  URI uri() {
    String p = path != null ? path : protocol.path();
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("ws://" + h + ":" + port + p);
  }

  /** Source addresses only make sense when the server listens on loopback. */
  int effectiveSources() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress() ? sources : 0;
    } catch (UnknownHostException e) {
      return 0;
    }
  }

  /** A report that starts with the fields every result line has. */
  Report report(String scenario) {
    Report r = new Report(scenario + " on " + uri() + (label.isEmpty() ? "" : " (" + label + ")"));
    r.put("scenario", scenario).put("label", label).put("protocol", protocol.toString())
        .put("target", uri().toString()).put("transport", Transport.name()).put("threads", threads);
    ServerProbe.loadAverage().ifPresent(load -> r.put("load_avg_1m_at_start", load));
    return r;
  }
}
