package dev.parley.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program running in a real pseudo-terminal: a tmux server of its own (its socket and configuration
 * in a temporary folder), one 120x40 pane, keys sent with {@code send-keys} and the screen read with
 * {@code capture-pane}. The pane stays after the program exits, and its exit status is kept.
 */
final class Tmux implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PANE = "parley";

  private final Path dir;
  private final Path socket;
  private final Path config;
  private final Path exitStatus;

  private Tmux(Path dir) {
    this.dir = dir;
    this.socket = dir.resolve("socket");
    this.config = dir.resolve("tmux.conf");
    this.exitStatus = dir.resolve("exit-status");
  }

  /** Starts {@code command} (a shell command line) in a new pane, with {@code NO_COLOR} unset. */
  static Tmux start(String command) throws IOException {
    Tmux tmux = new Tmux(Files.createTempDirectory("parley-tmux"));
    Files.writeString(tmux.config, String.join("\n",
        "set -g default-terminal screen-256color",
        "set -g remain-on-exit on",
        "set -g status off",
        "set -g history-limit 5000", ""));
    // The shell that runs the command writes its exit status to a file: tmux itself sometimes fails to
    // reap a pane's process when it is driven from a JVM (the process stays a zombie, the pane never dies).
    tmux.run("new-session", "-d", "-s", PANE, "-x", "120", "-y", "40",
        command + "; echo $? > " + quote(tmux.exitStatus.toString()));
    return tmux;
  }

  /** Quotes a word for the shell command line of {@link #start}. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Types text literally (no key names), without Enter. */
  void type(String text) {
    run("send-keys", "-t", PANE, "-l", text);
  }

  /** Types a line and presses Enter. */
  void enter(String line) {
    type(line);
    pressEnter();
  }

  void pressEnter() {
    run("send-keys", "-t", PANE, "Enter");
  }

  /** The screen and its scrollback as text, wrapped lines joined. */
  String screen() {
    return run("capture-pane", "-p", "-J", "-S", "-1000", "-t", PANE);
  }

  /** Only what is on the screen now, without the scrollback. */
  String visibleScreen() {
    return run("capture-pane", "-p", "-J", "-t", PANE);
  }

  /** The same with the escape sequences of colours and attributes. */
  String screenWithStyles() {
    return run("capture-pane", "-p", "-e", "-J", "-S", "-1000", "-t", PANE);
  }

  /** A pane variable such as {@code pane_title}. */
  String variable(String name) {
    return run("display-message", "-p", "-t", PANE, "#{" + name + "}").strip();
  }

  /** Waits (polling) until a line of the screen matches; returns the line. */
  String awaitLine(Predicate<String> wanted, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = screen();
      for (String line : screen.split("\n")) {
        if (wanted.test(line.strip())) {
          return line;
        }
      }
      pause();
    }
    throw new AssertionError("no line " + what + " within " + WAIT + "; the screen:\n" + screen);
  }

  /** Waits (polling) until the program has exited; returns its exit status. */
  int awaitExit() throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String status = Files.exists(exitStatus) ? Files.readString(exitStatus).strip() : "";
      if (!status.isEmpty()) {
        return Integer.parseInt(status);
      }
      pause();
    }
    throw new AssertionError("the program did not exit within " + WAIT + "; the screen:\n" + screen());
  }

  private static void pause() {
    try {
      Thread.sleep(100); // bounded polling: tmux has no way to wait for screen content
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String run(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", config.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("NO_COLOR");
    builder.environment().remove("TMUX");
    builder.environment().putIfAbsent("TERM", "xterm-256color");
    try {
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("tmux is not installed (.ci/run installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      run("kill-server");
    } catch (IllegalStateException e) {
      // already gone
    }
    Files.deleteIfExists(socket);
    Files.deleteIfExists(exitStatus);
    Files.deleteIfExists(config);
    Files.deleteIfExists(dir);
  }
}
