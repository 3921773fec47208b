package dev.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged {@code target/parley.jar} running as a separate process, as users run it. */
public final class JarProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("open http://[^:]+:(\\d+)/");
  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private final Thread reader;

  private JarProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readLog, "parley-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the jar with these arguments (plus {@code --host 127.0.0.1 --port 0}) and waits until it serves. */
  public static JarProcess start(String... args) throws IOException {
    Path jar = Path.of("target", "parley.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("target/parley.jar is missing: run `mvn verify`, which packages it first");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "--host", "127.0.0.1", "--port", "0"));
    command.addAll(List.of(args));
    JarProcess jarProcess = new JarProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    jarProcess.port();
    return jarProcess;
  }

  private void readLog() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.add(line);
        Matcher m = SERVING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("parley exited before serving: " + log));
  }

  public int port() {
    try {
      return port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("parley did not start: " + log, e);
    }
  }

  /** SIGTERM: an orderly shutdown. (Through the handle: {@code Process.destroy} would also close the log pipe.) */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the process to end; {@code false} if it is still running after {@code timeout}. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (exited) {
      reader.join(TimeUnit.SECONDS.toMillis(10)); // so that log() holds the last lines
    }
    return exited;
  }

  public List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
