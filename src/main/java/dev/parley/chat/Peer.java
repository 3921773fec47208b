package dev.parley.chat;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/** One open connection of a user, with its rooms and its rate limits. */
final class Peer {
  final Client client;
  final User user;
  final TokenBucket sends;
  final TokenBucket commands;
  /** The rooms this connection has joined (including joins whose snapshot is still loading). */
  final Map<String, Subscription> rooms = new LinkedHashMap<>(2); // most sockets join one room or two
  boolean closed;
  /**
   * Set while a join or a rename of this socket is completing; commands that arrive meanwhile
   * wait in {@link #held}, so that replies come in command order and each command sees the
   * effect of the ones before it (a message after a nick carries the new name).
   */
  boolean busy;
  final ArrayDeque<Command> held = new ArrayDeque<>(1); // usually empty: kept small per socket

  Peer(Client client, User user, Limits limits, long now) {
    this.client = client;
    this.user = user;
    this.sends = new TokenBucket(limits.sendBurst(), limits.sendRate(), now);
    this.commands = new TokenBucket(limits.commandBurst(), limits.commandRate(), now);
  }
}
