package dev.parley.broker;

import dev.parley.chat.Message;
import java.util.function.Consumer;
import java.util.concurrent.CompletionStage;

/**
 * Fan-out of committed messages, and of {@link Signal}s, between the nodes serving one chat.
 *
 * <p><b>Delivery.</b> A message published while a node is subscribed to its room reaches that
 * node's sink at most once per publish and usually exactly once; it may be lost when the
 * broker fails. Receivers therefore never trust the broker for completeness: they detect a
 * gap by id and fill it from the store, and drop what they already have.
 *
 * <p><b>Ordering.</b> Messages of one room published from one node arrive in publish order;
 * messages from different nodes may interleave in any order.
 *
 * <p><b>Threading.</b> Methods may be called from any thread and never block. The sink is
 * called on the adapter's thread, one message at a time; it must hop to its own thread.
 */
public interface Broker extends AutoCloseable {

  /** Sets where received messages go. Called once, before any subscription. */
  void start(Consumer<Message> sink);

  /**
   * Sets where received signals go (signals of subscribed rooms, and every rename). Called
   * once, before any subscription. Same threading as the message sink.
   */
  void onSignal(Consumer<Signal> sink);

  /** Sends a signal to every node subscribed to its room (every node, for a rename), this one included. */
  CompletionStage<Void> signal(Signal signal);

  /** Starts receiving the room's messages. */
  CompletionStage<Void> subscribe(String room);

  /** Stops receiving the room's messages. */
  CompletionStage<Void> unsubscribe(String room);

  /** Sends a committed message to every subscribed node, this one included. */
  CompletionStage<Void> publish(Message message);

  /**
   * Registers what to do after the broker may have lost messages (it reconnected after an
   * outage): receivers compare their rooms with the store. Called on the adapter's thread.
   * An adapter that cannot lose messages never calls it.
   */
  default void onResubscribed(Runnable listener) {}

  /** Completes when the broker answers; fails naming the cause when it does not. */
  CompletionStage<Void> ping();

  @Override
  void close();
}
