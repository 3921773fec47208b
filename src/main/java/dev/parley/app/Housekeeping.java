package dev.parley.app;

import dev.parley.store.MessageStore;
import dev.parley.store.Retention;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic store upkeep: prunes history beyond {@code --retain-days} / {@code --retain-messages}
 * and forgets sessions unused for 30 days. Runs on the store's own threads; a failed round is
 * logged and tried again at the next.
 */
final class Housekeeping {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private static final long EVERY_MILLIS = TimeUnit.HOURS.toMillis(1);
  private static final long SESSION_EXPIRY_MILLIS = TimeUnit.DAYS.toMillis(30);

  private Housekeeping() {}

  static void start(Vertx vertx, MessageStore store, int retainDays, int retainMessages) {
    if (!(store instanceof Retention retention)) {
      return;
    }
    Runnable round = () -> {
      retention.prune(retainDays, retainMessages).whenComplete((pruned, failure) -> {
        if (failure != null) {
          log.warn("Could not prune old messages: {}", failure.toString());
        } else if (pruned > 0) {
          log.info("Pruned {} old messages (retain {} days, {} messages per room)", pruned, retainDays, retainMessages);
        }
      });
      retention.forgetSessionsSeenBefore(System.currentTimeMillis() - SESSION_EXPIRY_MILLIS)
          .whenComplete((forgotten, failure) -> {
            if (failure != null) {
              log.warn("Could not forget expired sessions: {}", failure.toString());
            }
          });
    };
    vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), EVERY_MILLIS, id -> round.run());
  }
}
