package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledWarningTest {

  @Test
  void aBurstOfWarningsIsLoggedOnceAnIntervalWithHowManyWereLeftOut() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("throttle-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    ThrottledWarning warning = new ThrottledWarning(logger, 5_000);

    warning.report(0, "first");
    for (int i = 0; i < 1000; i++) {
      warning.report(10 + i, "again " + i);
    }
    warning.report(6_000, "later");

    List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(List.of("first", "later (and 1000 more like it in the last 6 s)"), logged);
    assertEquals(Level.WARN, lines.list.get(0).getLevel());
  }
}
