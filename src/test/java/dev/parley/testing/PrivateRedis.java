package dev.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code redis-server} of one test's own, on a free port, without persistence: it can be
 * killed and started again on the same port (an outage, then a restart that lost everything)
 * without disturbing the Redis that other tests share.
 */
public final class PrivateRedis implements AutoCloseable {
  private static final Duration START_WAIT = Duration.ofSeconds(15);
  private final String binary;
  private final int port;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private Process process;

  private PrivateRedis(String binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  /** Starts a server on a free port; fails when {@code redis-server} is not on the PATH. */
  public static PrivateRedis start() throws IOException, InterruptedException {
    PrivateRedis redis = new PrivateRedis(binary(), freePort());
    redis.startAgain();
    return redis;
  }

  /** {@code which redis-server}; fails when there is none. */
  private static String binary() throws IOException, InterruptedException {
    Process which = new ProcessBuilder("which", "redis-server").redirectErrorStream(true).start();
    String out = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!which.waitFor(10, TimeUnit.SECONDS) || which.exitValue() != 0 || out.isEmpty()) {
      throw new AssertionError("redis-server is not on the PATH (apt-get install redis-server): `which` said " + out);
    }
    return out.lines().findFirst().orElseThrow();
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again) on the same port and waits until it answers PING. */
  public void startAgain() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server is already running on " + port);
    }
    process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true).start();
    Process started = process;
    Thread reader = new Thread(() -> drain(started.getInputStream()), "redis-" + port + "-log");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (!answersPing()) {
      if (!started.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port + ": " + log);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** SIGKILL: the server dies at once with everything it held; waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server on " + port + " did not die");
    }
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Whether a server on the port answers PING now. */
  public boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] answer = new byte[7];
      int n = s.getInputStream().readNBytes(answer, 0, answer.length);
      return new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  public List<String> log() {
    return List.copyOf(log);
  }

  private void drain(InputStream in) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (running()) {
      kill();
    }
  }
}
