package dev.parley.client;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.slf4j.LoggerFactory;

/**
 * The interactive client on a JLine terminal: a line editor at the bottom (history with the arrow keys),
 * and what the session shows printed above it as it happens. Enter sends the line; {@code /quit},
 * Ctrl-D, or Ctrl-C on an empty line leave.
 */
final class TerminalUi implements ChatSession.Screen {
  private final Terminal terminal;
  private final LineReaderImpl reader;
  private volatile String prompt = "> ";
  private volatile Integer ended;
  private volatile boolean finished;

  private TerminalUi(Terminal terminal) {
    this.terminal = terminal;
    // No quoting, escaping or "!" history expansion: a chat line is sent exactly as typed.
    DefaultParser parser = new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0])
        .eofOnUnclosedQuote(false).eofOnEscapedNewLine(false);
    this.reader = (LineReaderImpl) LineReaderBuilder.builder().terminal(terminal).appName("parley").parser(parser)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true) // the server's echo shows what was sent
        .variable(LineReader.BELL_STYLE, "none")
        .build();
  }

  /** Runs the client until the user quits; returns the exit status. */
  static int run(ServerAddress address, String name, String room) throws IOException {
    quietLogs();
    try (Terminal terminal = TerminalBuilder.builder().system(true).name("parley").build()) {
      return new TerminalUi(terminal).loop(address, name, room);
    }
  }

  private int loop(ServerAddress address, String name, String room) {
    Renderer renderer = Renderer.forTerminal(Terminals.wantsColour(terminal));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    try {
      ChatSession session = new ChatSession(vertx, address, Backoff.standard(), this, renderer, name, room);
      tellTyping(session);
      session.start();
      while (ended == null) {
        String line;
        try {
          line = reader.readLine(prompt);
        } catch (UserInterruptException e) {
          if (ended == null && !e.getPartialLine().isEmpty()) {
            continue; // Ctrl-C clears a line being typed
          }
          break;
        } catch (EndOfFileException e) {
          break;
        }
        UserInput input = UserInput.parse(line);
        if (input instanceof UserInput.Quit) {
          break;
        }
        session.submit(input);
      }
      finished = true;
      await(session.close());
    } finally {
      await(vertx.close());
    }
    return ended == null ? 0 : ended;
  }

  /** Typing (not a command) tells the room, at most every few seconds (the session limits it). */
  private void tellTyping(ChatSession session) {
    Widget selfInsert = reader.getWidgets().get(LineReader.SELF_INSERT);
    reader.getWidgets().put(LineReader.SELF_INSERT, () -> {
      boolean done = selfInsert.apply();
      if (!reader.getBuffer().toString().startsWith("/")) {
        session.typing();
      }
      return done;
    });
  }

  @Override
  public void show(AttributedString line) {
    reader.printAbove(line);
  }

  @Override
  public void prompt(AttributedString prompt) {
    this.prompt = prompt.toAnsi(terminal);
    reader.setPrompt(this.prompt);
    redraw();
  }

  @Override
  public void end(int code) {
    ended = code;
    // Ends the readLine in progress, or the one about to start.
    Thread stopper = new Thread(() -> {
      while (!finished) {
        terminal.raise(Terminal.Signal.INT);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "parley-client-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  private void redraw() {
    if (reader.isReading()) {
      try {
        reader.callWidget(LineReader.REDRAW_LINE);
        reader.callWidget(LineReader.REDISPLAY);
      } catch (IllegalStateException e) {
        // the read just ended: the next one shows the new prompt
      }
    }
  }

  /** Log lines would tear through the screen: the interactive client logs nothing. */
  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      ch.qos.logback.classic.Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAndStopAllAppenders();
      root.setLevel(Level.OFF);
    }
  }

  private static void await(io.vertx.core.Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // leaving anyway
    }
  }
}
