package dev.parley.chat;

import java.util.List;

/**
 * What the chat tells a client. Transports render each kind in their own wire format
 * (or not at all: the plain-text chat shows only messages and answers to its own commands).
 * Instances are immutable and shared by every recipient of a broadcast, so a transport can
 * encode one once and reuse the bytes for all of them.
 */
public sealed interface Event {

  /** The first event of every connection. */
  record Hello(String name) implements Event {}

  /**
   * The answer to a join: the room's members, the last id the snapshot covers, and the
   * messages chosen for it. {@code recovered} is {@code null} when the join had no {@code since}.
   */
  record Joined(String ref, String room, List<String> members, long lastId, List<Message> messages,
      Boolean recovered) implements Event {}

  record Left(String ref, String room) implements Event {}

  record Ack(String ref, String room, long id, long ts) implements Event {}

  /** A live message of a joined room. */
  record Posted(Message message) implements Event {}

  record History(String ref, String room, List<Message> messages, boolean more) implements Event {}

  record Members(String ref, String room, List<String> members) implements Event {}

  /** A user's first socket joined a room ({@code joined}), or its last one left. */
  record Presence(String room, String name, boolean joined) implements Event {}

  record Typing(String room, String name) implements Event {}

  /** A rename; {@code ref} is set only on the copy sent to the socket that asked for it. */
  record NickChanged(String ref, String from, String to) implements Event {}

  record Failure(String ref, ErrorCode code, String words) implements Event {
    public static Failure of(String ref, Refusal refusal) {
      return new Failure(ref, refusal.code(), refusal.words());
    }
  }
}
