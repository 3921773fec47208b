package dev.parley.app;

import dev.parley.chat.Limits;
import dev.parley.web.HttpLimits;
import dev.parley.web.TlsFiles;
import dev.parley.web.WebConfig;
import dev.parley.web.WebLimits;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley serve}: runs the chat server until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Run the chat server (the default command).", showDefaultValues = true)
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-8080}", description = "Listen port (env PARLEY_PORT).")
  int port;

  @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-0.0.0.0}", description = "Listen address (env PARLEY_HOST).")
  String host;

  @Option(names = "--data", defaultValue = "${env:PARLEY_DATA:-./data}",
      description = "Folder of the embedded SQLite store (env PARLEY_DATA).")
  Path data;

  @Option(names = "--db", defaultValue = "${env:PARLEY_DB}",
      description = "PostgreSQL JDBC URL: a store shared by a cluster (env PARLEY_DB).")
  String db;

  @Option(names = "--redis", defaultValue = "${env:PARLEY_REDIS}",
      description = "Redis URL: fan-out, presence and names across nodes (env PARLEY_REDIS).")
  String redis;

  @Option(names = "--in-memory", defaultValue = "${env:PARLEY_IN_MEMORY:-false}",
      description = "Keep everything in memory; nothing survives a restart (env PARLEY_IN_MEMORY).")
  boolean inMemory;

  @Option(names = "--retain-days", defaultValue = "${env:PARLEY_RETAIN_DAYS:-0}",
      description = "Prune messages older than this many days; 0 keeps them (env PARLEY_RETAIN_DAYS).")
  int retainDays;

  @Option(names = "--retain-messages", defaultValue = "${env:PARLEY_RETAIN_MESSAGES:-0}",
      description = "Keep at most this many messages per room; 0 keeps all (env PARLEY_RETAIN_MESSAGES).")
  int retainMessages;

  @Option(names = "--allowed-origin", split = ",", defaultValue = "${env:PARLEY_ALLOWED_ORIGINS}",
      description = "Extra origins allowed to open WebSockets, comma-separated (env PARLEY_ALLOWED_ORIGINS).")
  String[] allowedOrigins;

  @Option(names = "--max-frame", defaultValue = "${env:PARLEY_MAX_FRAME:-65536}",
      description = "Largest client message in bytes; larger ones close with 1009 (env PARLEY_MAX_FRAME).")
  int maxFrame;

  @Option(names = "--max-text", defaultValue = "${env:PARLEY_MAX_TEXT:-4000}",
      description = "Longest text in code points (env PARLEY_MAX_TEXT).")
  int maxText;

  @Option(names = "--send-burst", defaultValue = "${env:PARLEY_SEND_BURST:-20}",
      description = "Sends a connection may make at once (env PARLEY_SEND_BURST).")
  int sendBurst;

  @Option(names = "--send-rate", defaultValue = "${env:PARLEY_SEND_RATE:-2}",
      description = "Sends regained per second; 0: no limit (env PARLEY_SEND_RATE).")
  double sendRate;

  @Option(names = "--command-burst", defaultValue = "${env:PARLEY_COMMAND_BURST:-50}",
      description = "Other commands a connection may make at once (env PARLEY_COMMAND_BURST).")
  int commandBurst;

  @Option(names = "--command-rate", defaultValue = "${env:PARLEY_COMMAND_RATE:-10}",
      description = "Other commands regained per second; 0: no limit (env PARLEY_COMMAND_RATE).")
  double commandRate;

  @Option(names = "--max-rooms", defaultValue = "${env:PARLEY_MAX_ROOMS:-50}",
      description = "Rooms one connection may join (env PARLEY_MAX_ROOMS).")
  int maxRooms;

  @Option(names = "--max-backlog", defaultValue = "${env:PARLEY_MAX_BACKLOG:-1048576}",
      description = "Outbound bytes a connection may have pending before it is closed with 1013 (env PARLEY_MAX_BACKLOG).")
  long maxBacklog;

  @Option(names = "--max-conns-per-ip", defaultValue = "${env:PARLEY_MAX_CONNS_PER_IP:-1000}",
      description = "Open WebSockets per client address; 0: no limit (env PARLEY_MAX_CONNS_PER_IP).")
  int maxConnsPerIp;

  @Option(names = "--handshakes-per-ip", defaultValue = "${env:PARLEY_HANDSHAKES_PER_IP:-100}",
      description = "WebSocket handshakes a client address may make at once, regaining half as many a second; "
          + "0: no limit (env PARLEY_HANDSHAKES_PER_IP).")
  int handshakesPerIp;

  @Option(names = "--max-http-conns-per-ip", defaultValue = "${env:PARLEY_MAX_HTTP_CONNS_PER_IP:-256}",
      description = "Plain HTTP connections (not WebSockets) a client address may hold open; a new one over it is "
          + "closed at once; 0: no limit (env PARLEY_MAX_HTTP_CONNS_PER_IP).")
  int maxHttpConnsPerIp;

  @Option(names = "--tls-cert", defaultValue = "${env:PARLEY_TLS_CERT}", paramLabel = "PEM",
      description = "Certificate chain (PEM file): serve HTTPS and WSS instead of HTTP and WS on the port; "
          + "needs --tls-key (env PARLEY_TLS_CERT).")
  String tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:PARLEY_TLS_KEY}", paramLabel = "PEM",
      description = "Private key (unencrypted PEM file) of the --tls-cert certificate (env PARLEY_TLS_KEY).")
  String tlsKey;

  @Option(names = "--shutdown-timeout", defaultValue = "${env:PARLEY_SHUTDOWN_TIMEOUT:-10}",
      description = "Seconds a shutdown may take (env PARLEY_SHUTDOWN_TIMEOUT).")
  int shutdownSeconds;

  @Option(names = "--socket-loops", defaultValue = "${env:PARLEY_SOCKET_LOOPS:-0}",
      description = "Event loops that serve WebSockets; 0: one per core (env PARLEY_SOCKET_LOOPS).")
  int socketLoops;

  @Option(names = "--ping-interval", hidden = true, defaultValue = "${env:PARLEY_PING_INTERVAL:-30000}")
  long pingMillis;

  @Option(names = "--presence-grace", hidden = true, defaultValue = "${env:PARLEY_PRESENCE_GRACE:-2000}")
  long leaveGraceMillis;

  @Option(names = "--http-header-timeout", hidden = true, defaultValue = "${env:PARLEY_HTTP_HEADER_TIMEOUT:-10000}")
  long httpHeaderTimeoutMillis;

  @Option(names = "--http-idle-timeout", hidden = true, defaultValue = "${env:PARLEY_HTTP_IDLE_TIMEOUT:-60000}")
  long httpIdleTimeoutMillis;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    Parley parley;
    try {
      parley = Parley.start(settings).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      // Parley.start has logged what went wrong, in words for the operator.
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(parley::shutdown, "parley-shutdown"));
    parley.awaitTermination();
    return 0;
  }

  Settings settings() {
    Set<String> origins = allowedOrigins == null ? Set.of()
        : Arrays.stream(allowedOrigins).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Limits limits = new Limits(maxText, sendBurst, sendRate, commandBurst, commandRate, maxRooms);
    WebLimits defaults = WebLimits.defaults();
    WebLimits webLimits = new WebLimits(maxFrame, maxBacklog, defaults.badFrames(), defaults.badFrameWindowNanos(),
        maxConnsPerIp, handshakesPerIp, handshakesPerIp / 2.0, pingMillis, pingMillis * 2, httpLimits());
    if (socketLoops < 0) {
      throw invalid("--socket-loops must be 0 (one per core) or more");
    }
    WebConfig web = new WebConfig(host, port, origins, limits, webLimits, leaveGraceMillis, shutdownSeconds * 1000L,
        tls(), socketLoops);
    return new Settings(data, blankToNull(db), blankToNull(redis), inMemory, retainDays, retainMessages, web);
  }

  private HttpLimits httpLimits() {
    if (httpHeaderTimeoutMillis <= 0 || httpIdleTimeoutMillis <= 0) {
      throw invalid("--http-header-timeout and --http-idle-timeout are milliseconds and must be positive");
    }
    return new HttpLimits(maxHttpConnsPerIp, httpHeaderTimeoutMillis, httpIdleTimeoutMillis);
  }

  /**
   * The TLS files, or {@code null} when neither option is given.
   *
   * @throws ParameterException when only one of them is given, or a file cannot be read
   */
  private TlsFiles tls() {
    String cert = blankToNull(tlsCert);
    String key = blankToNull(tlsKey);
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw invalid(cert == null
          ? "--tls-key was given without --tls-cert: TLS needs both the certificate and its key (PEM files)"
          : "--tls-cert was given without --tls-key: TLS needs both the certificate and its key (PEM files)");
    }
    return new TlsFiles(readable(cert, "--tls-cert", "certificate"), readable(key, "--tls-key", "key"));
  }

  private Path readable(String file, String option, String what) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw invalid(option + ": '" + file + "' is not a valid path");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw invalid(option + ": the TLS " + what + " file " + path.toAbsolutePath() + " does not exist or cannot be read");
    }
    return path;
  }

  private ParameterException invalid(String message) {
    return new ParameterException(spec == null ? new CommandLine(this) : spec.commandLine(), message);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
