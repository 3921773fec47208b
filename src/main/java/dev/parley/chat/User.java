package dev.parley.chat;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One user: a session (every tab of one browser) or a single connection without a session.
 * Holds the user's name, its open sockets and what is remembered across them.
 */
final class User {
  /** Identity: {@code s:<sid>} for a session, {@code c:<n>} for a bare connection. */
  final String key;
  /** The session id, or {@code null} for a bare connection. */
  final String sid;
  String name;
  final Set<Peer> peers = new LinkedHashSet<>(2); // a tab or two
  /** When each of the user's rooms last saw it type, in nanoseconds. */
  final Map<String, Long> lastTyping = new HashMap<>();
  /** Cancels the pending release of the name of an offline session user. */
  Runnable release;

  User(String key, String sid, String name) {
    this.key = key;
    this.sid = sid;
    this.name = name;
  }

  boolean online() {
    return !peers.isEmpty();
  }
}
