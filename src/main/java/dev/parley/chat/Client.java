package dev.parley.chat;

/**
 * One connection as the hub sees it. Implemented by the transports.
 *
 * <p>Threading: the hub calls these methods on its own thread only; they must not block.
 * A transport that cannot keep up with a client closes it itself and then tells the hub
 * through {@link ChatHub#disconnect(Client)}.
 */
public interface Client {

  /** Queues an event for the client. Ignored once the client is closed. */
  void send(Event event);

  /** Closes the connection with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /** Whether this is a plain-text {@code /chat} connection (a member of {@code general} only). */
  default boolean plainText() {
    return false;
  }
}
