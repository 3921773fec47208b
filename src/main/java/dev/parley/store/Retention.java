package dev.parley.store;

import java.util.concurrent.CompletionStage;

/**
 * Optional pruning of old history ({@code --retain-days}, {@code --retain-messages}).
 * Implemented by the persistent adapters, outside the {@link MessageStore} port so the port
 * stays unchanged.
 *
 * <p>Only the oldest messages of a room are removed (a prefix), so what remains is still
 * consecutive; a room's id sequence is kept apart from its messages and never goes
 * backwards: the next append after a prune gets the id it would have got without it.
 */
public interface Retention {

  /**
   * Deletes, in every room, the messages that are not among the newest {@code retainMessages}
   * or that precede the first message accepted within the last {@code retainDays} days.
   * A limit of 0 or less means no limit of that kind. Runs in small transactions between
   * the normal writes, so appends are not held up for long.
   *
   * @return the number of messages deleted
   */
  CompletionStage<Long> prune(int retainDays, int retainMessages);

  /**
   * Deletes the sessions last seen before {@code cutoff} (epoch milliseconds), e.g. 30 days
   * ago: an expired session's cookie is refused anyway, and its name hold long lapsed.
   *
   * @return the number of sessions deleted
   */
  CompletionStage<Long> forgetSessionsSeenBefore(long cutoff);
}
