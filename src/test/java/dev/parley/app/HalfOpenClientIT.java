package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.testing.JarHttp;
import dev.parley.testing.JarProcess;
import dev.parley.testing.Neighbour;
import dev.parley.testing.Probe;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client process that is frozen (SIGSTOP) keeps its TCP connection open, and its kernel keeps
 * acknowledging, but it answers no ping and reads nothing: the real jar must close it after the
 * heartbeat's dead interval, forget it, and keep serving its neighbour without a hitch.
 */
@Timeout(120)
class HalfOpenClientIT {
  /**
   * The jar's hidden --ping-interval; its silence limit is twice it. Not shorter: on a loaded
   * machine a client JVM warming up can leave a ping unanswered for half a second, and would be
   * closed (rightly) before it is ever frozen.
   */
  private static final long PING_MILLIS = 500;
  private static final long DEAD_MILLIS = 2 * PING_MILLIS;
  /**
   * The size of the neighbour's messages: small enough that, however fast the machine, what piles
   * up for the frozen client (its kernel's buffers, then the server's 1 MiB backlog limit) cannot
   * fill before the dead interval ends, so that the heartbeat, not the backlog limit, closes it.
   */
  private static final int TEXT = 200;

  @TempDir
  Path data;

  private static double metric(int port, String series) {
    return Probe.value(JarHttp.get(port, "/metrics").body(), series).orElse(Double.NaN);
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }

  /*
   * Why it can fail: a stopped process sends no FIN, no RST and no pong, and its kernel goes on
   * acknowledging, so nothing but the heartbeat's deadline ends its socket. Without it
   * parley_connections stays at 2 and talkUntil fails after 20 s (the 1 MiB backlog limit is not
   * reached by then; if it were, parley_slow_consumer_closes_total would tell). A deadline that
   * ignored pongs would close the client while it still answers, before it is stopped. If the
   * close did not release the socket in the hub, the neighbour would still list "frozen"; if the
   * frozen socket held the event loop or the room's fan-out back, the neighbour's messages would
   * come back late; and if the server only forgot the socket without closing it, the resumed
   * client would wait for an answer and end with a timeout instead of learning it was disconnected.
   */
  @Test
  void aFrozenClientProcessIsClosedAfterTheDeadIntervalAndItsNeighbourIsUnaffected() throws Exception {
    assumeFalse(System.getProperty("os.name").toLowerCase().contains("win"), "needs kill -STOP");
    try (JarProcess parley = JarProcess.start("--data", data.toString(), "--in-memory",
            "--ping-interval", String.valueOf(PING_MILLIS), "--send-rate", "0");
        WsClient direct = WsClient.connect(parley.port(), "/ws", new WebSocketConnectOptions())) {
      int port = parley.port();
      Neighbour neighbour = Neighbour.join(direct, "general", "neighbour");
      try (ClientProcess frozen = ClientProcess.start(port, "frozen")) {
        // The client process joins and talks: its message is acknowledged (it prints the id).
        frozen.say("hello before the freeze");
        String id = frozen.line(Duration.ofSeconds(60));
        assertNotNull(id, "the client printed no id; stderr: " + frozen.errors());
        assertTrue(id.matches("\\d+"), "the client printed " + id + "; stderr: " + frozen.errors());
        Probe.until(Duration.ofSeconds(20), () -> metric(port, "parley_connections") == 2,
            () -> "parley_connections is " + metric(port, "parley_connections"));

        // While it runs, it answers pings and outlives several dead intervals.
        long running = System.nanoTime();
        Probe.until(Duration.ofSeconds(20),
            () -> millisSince(running) > 3 * DEAD_MILLIS || metric(port, "parley_connections") != 2, () -> "");
        assertEquals(2.0, metric(port, "parley_connections"), "a client that answers pings stays open; stderr: "
            + frozen.errors());
        assertEquals(List.of("frozen", "neighbour"), neighbour.members());

        frozen.signal("STOP");
        long stoppedAt = System.nanoTime();

        // The neighbour talks the whole time; every message is broadcast to the frozen client too.
        neighbour.talkUntil(Duration.ofSeconds(20), TEXT, () -> metric(port, "parley_connections") == 1,
            () -> "parley_connections is still " + metric(port, "parley_connections") + " after SIGSTOP");
        long closedAfter = millisSince(stoppedAt);
        assertTrue(closedAfter < DEAD_MILLIS + PING_MILLIS + 5_000, "closed only " + closedAfter + " ms after SIGSTOP");
        assertEquals(0.0, metric(port, "parley_slow_consumer_closes_total"),
            "the heartbeat closed the frozen client, not the backlog limit");

        // The server has forgotten it: gone from the room, its leave announced.
        neighbour.talk(5, TEXT);
        assertEquals(List.of("neighbour"), neighbour.members());
        assertTrue(neighbour.presence().contains("frozen leave"), "presence seen: " + neighbour.presence());

        // The neighbour got every message, in order, each promptly, and was never closed.
        assertEquals(neighbour.expectedIds(), neighbour.ids(), "the neighbour's messages");
        assertTrue(neighbour.slowestMillis() < 3_000,
            "a message took " + neighbour.slowestMillis() + " ms to reach the neighbour");
        assertFalse(direct.isClosed(), "the neighbour was closed");

        // The server closed the socket rather than only forgetting it: resumed, the client finds
        // its connection gone as soon as it tries to send, and exits with 3 (connection dropped).
        frozen.signal("CONT");
        frozen.say("after the freeze");
        Integer status = frozen.exit(Duration.ofSeconds(20));
        assertEquals(3, status, "the resumed client's exit status; stderr: " + frozen.errors());
        assertTrue(frozen.errors().stream().anyMatch(line -> line.startsWith("error: disconnected")),
            "stderr: " + frozen.errors());
      }
    }
  }

  /** {@code parley client URL --name NAME --send -}: the terminal client in scripted mode, sending stdin's lines. */
  private static final class ClientProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private ClientProcess(Process process) {
      this.process = process;
      this.stdin = process.getOutputStream();
      read(process.getInputStream(), lines::add);
      read(process.getErrorStream(), errors::add);
    }

    static ClientProcess start(int port, String name) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return new ClientProcess(new ProcessBuilder(java, "-jar", Path.of("target", "parley.jar").toString(), "client",
          "ws://127.0.0.1:" + port + "/ws", "--name", name, "--room", "general", "--send", "-").start());
    }

    private static void read(InputStream stream, java.util.function.Consumer<String> sink) {
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            sink.accept(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "client-process-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Writes one line to the client's stdin: a message for it to send. */
    void say(String text) throws IOException {
      stdin.write((text + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /** The next line the client printed (an acknowledged message's id), or null after {@code wait} or once it ended. */
    String line(Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        boolean ended = !process.isAlive();
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null || ended) {
          return line;
        }
      }
      return null;
    }

    List<String> errors() {
      return List.copyOf(errors);
    }

    /** Sends a signal (STOP, CONT) to the process with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    /** The exit status, or null if it is still running after {@code wait}. */
    Integer exit(Duration wait) throws InterruptedException {
      return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        signal("CONT"); // a stopped process would not run its shutdown; SIGKILL ends it either way
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
