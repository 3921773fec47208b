package dev.parley.broker;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Who is in which room, across every node: a user is a member of a room while any of its
 * sockets, on any node, is in it.
 *
 * <p><b>Liveness.</b> Each node's entries live only as long as the node does: when a node
 * dies without saying so, its entries expire within 30 seconds and another node reports each
 * user that thereby left a room through {@link #onExpired}.
 *
 * <p><b>Threading.</b> Methods may be called from any thread and never block; stages and
 * listeners complete on the adapter's thread.
 */
public interface Presence extends AutoCloseable {

  /**
   * This node now has a socket of {@code user} in {@code room}. Completes with {@code true}
   * when the user was in the room on no node before (its arrival is to be announced).
   */
  CompletionStage<Boolean> enter(String room, String user, String name);

  /**
   * This node has no socket of {@code user} left in {@code room}. Completes with
   * {@code true} when the user is now in the room on no node (its departure is to be announced).
   */
  CompletionStage<Boolean> exit(String room, String user);

  /** Records a rename of {@code user} in the rooms this node has it in. */
  CompletionStage<Void> rename(String user, String name);

  /** The room's members on every node: user identity key to name. */
  CompletionStage<Map<String, String>> members(String room);

  /** Registers what to do when a dead node's user left a room: called with a leave signal. */
  void onExpired(Consumer<Signal> listener);

  /**
   * Registers what to do when this node, reconnecting after an outage, put back a user whose
   * entry had been removed meanwhile (its departure may have been announced): called with a
   * join signal. An adapter that cannot lose entries never calls it.
   */
  default void onRestored(Consumer<Signal> listener) {}

  @Override
  void close();
}
