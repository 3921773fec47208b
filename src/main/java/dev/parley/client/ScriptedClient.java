package dev.parley.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Scripted mode, for bots and shell scripts: connect, take the name (with {@code --name}), join the
 * room, send each text and wait for its {@code ack}, printing the message id, one per line on stdout.
 * A send refused as {@code rate_limited} or {@code unavailable} is retried (with the same {@code cid},
 * so it is never stored twice) for up to a minute; any other refusal is reported on stderr as
 * {@code error: CODE: words}. Exit status: {@link #OK}, {@link #REFUSED} when the server refused
 * something, {@link #CONNECTION} when it could not be reached or the connection dropped.
 */
final class ScriptedClient {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int CONNECTION = 3;

  /** The source of texts; null at the end. */
  interface Texts {
    String next() throws IOException;
  }

  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final Duration RETRY_FOR = Duration.ofSeconds(60);
  private static final Duration RATE_PAUSE = Duration.ofMillis(500);

  /** A frame, or the connection going down ({@code frame} null). */
  private record Event(Incoming frame, String down) {}

  /** Ends the conversation with an exit status, after printing why. */
  private static final class Stop extends Exception {
    final int status;

    Stop(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final ServerAddress address;
  private final String name;
  private final String room;
  private final PrintWriter out;
  private final PrintWriter err;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private long refs;

  ScriptedClient(ServerAddress address, String name, String room, PrintWriter out, PrintWriter err) {
    this.address = address;
    this.name = name;
    this.room = room;
    this.out = out;
    this.err = err;
  }

  /** Sends one text. */
  int send(String text) {
    String[] once = {text};
    return run(() -> {
      String next = once[0];
      once[0] = null;
      return next;
    }, false);
  }

  /** Sends every line of a reader (stdin) as it comes; blank lines are skipped. */
  int sendLines(BufferedReader lines) {
    return run(lines::readLine, true);
  }

  private int run(Texts texts, boolean skipBlank) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    try {
      Link link = new Link(vertx, address, null, new Link.Listener() {
        @Override
        public void up() {
        }

        @Override
        public void frame(String text) {
          Incoming frame = Incoming.parse(text);
          if (frame instanceof Incoming.Hello || frame.ref() != null) { // live traffic of the room is not needed
            events.add(new Event(frame, null));
          }
        }

        @Override
        public void down(String reason, Duration retryIn) {
          events.add(new Event(null, reason));
        }
      });
      link.start();
      try {
        return converse(link, texts, skipBlank);
      } catch (Stop stop) {
        err.println(stop.getMessage());
        return stop.status;
      } catch (IOException | UncheckedIOException e) {
        err.println("error: input: " + e.getMessage());
        return REFUSED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CONNECTION;
      } finally {
        out.flush();
        err.flush();
        await(link.close().toCompletionStage().toCompletableFuture());
      }
    } finally {
      await(vertx.close().toCompletionStage().toCompletableFuture());
    }
  }

  private int converse(Link link, Texts texts, boolean skipBlank) throws Stop, IOException, InterruptedException {
    Event first = events.poll(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null || first.frame() == null) {
      throw new Stop(CONNECTION, "error: unreachable: " + (first == null ? "no answer from " + address : first.down()));
    }
    if (name != null) {
      answer(link, Outgoing::nick, name, "could not take the name " + SafeText.plain(name));
    }
    answer(link, (ref, r) -> Outgoing.join(ref, r, null), room, "could not join #" + SafeText.plain(room));
    int failures = 0;
    for (String text; (text = texts.next()) != null; ) {
      if (skipBlank && text.isBlank()) {
        continue;
      }
      if (!sent(link, text)) {
        failures++;
      }
    }
    return failures == 0 ? OK : REFUSED;
  }

  /** Sends a command and fails unless it is answered without an error. */
  private void answer(Link link, java.util.function.BinaryOperator<String> command, String arg, String what)
      throws Stop, InterruptedException {
    String ref = ref();
    link.send(command.apply(ref, arg));
    if (reply(ref) instanceof Incoming.Failure f) {
      throw new Stop(REFUSED, "error: " + SafeText.plain(f.code()) + ": " + what + ": " + SafeText.plain(f.words()));
    }
  }

  /** Sends one text until it is acknowledged (printing its id) or refused for good. */
  private boolean sent(Link link, String text) throws Stop, InterruptedException {
    String cid = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    while (true) {
      String ref = ref();
      link.send(Outgoing.send(ref, room, text, cid));
      Incoming reply = reply(ref);
      if (reply instanceof Incoming.Ack ack) {
        out.println(ack.id());
        out.flush();
        return true;
      }
      Incoming.Failure f = (Incoming.Failure) reply;
      boolean passing = "rate_limited".equals(f.code()) || "unavailable".equals(f.code());
      if (passing && System.nanoTime() < deadline) {
        Thread.sleep(RATE_PAUSE.toMillis());
        continue;
      }
      err.println("error: " + SafeText.plain(f.code()) + ": " + SafeText.plain(f.words()));
      err.flush();
      return false;
    }
  }

  /** The answer to a command: its reply or an error frame with its ref. */
  private Incoming reply(String ref) throws Stop, InterruptedException {
    long deadline = System.nanoTime() + ANSWER.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new Stop(CONNECTION, "error: timeout: no answer from the server within " + ANSWER.toSeconds() + " s");
      }
      if (event.frame() == null) {
        throw new Stop(CONNECTION, "error: disconnected: " + event.down());
      }
      if (ref.equals(event.frame().ref())) {
        return event.frame();
      }
    }
  }

  private String ref() {
    return "s" + (++refs);
  }

  private static void await(java.util.concurrent.CompletableFuture<?> future) {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
