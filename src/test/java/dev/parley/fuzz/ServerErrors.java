package dev.parley.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures, while attached to the root logger, what would show that an exception escaped a
 * handler: every ERROR event, and every event that carries a throwable from the server's code,
 * Vert.x or Netty (Vert.x logs an exception a handler let escape as "Unhandled exception").
 * Keeps at most 100, so that a broken server cannot swell the heap the test measures.
 */
public final class ServerErrors extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final int KEEP = 100;
  private final List<String> events = new ArrayList<>();
  private int count;

  /** Starts capturing. */
  public static ServerErrors attach() {
    ServerErrors errors = new ServerErrors();
    errors.setName("fuzz-server-errors");
    errors.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    errors.start();
    root().addAppender(errors);
    return errors;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    String logger = event.getLoggerName();
    boolean ours = logger.startsWith("dev.parley") || logger.startsWith("io.vertx") || logger.startsWith("io.netty");
    if (event.getLevel().isGreaterOrEqual(Level.ERROR) || (ours && thrown != null)) {
      count++;
      if (events.size() < KEEP) {
        events.add(event.getLevel() + " " + logger + " [" + event.getThreadName() + "] " + event.getFormattedMessage()
            + (thrown == null ? "" : " — " + thrown.getClassName() + ": " + thrown.getMessage()));
      }
    }
  }

  /** How many such events were logged. */
  public synchronized int count() {
    return count;
  }

  /** The first of them, as lines. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
