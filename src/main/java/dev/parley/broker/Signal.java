package dev.parley.broker;

/**
 * A room event that is not a message, carried between nodes: presence, typing, a rename.
 * Signals are best effort: not stored, not numbered, not ordered with messages; a lost one
 * costs a stale indicator, never a message.
 *
 * @param kind what happened
 * @param room the room it happened in; {@code null} for a rename, which concerns a user everywhere
 * @param user the identity key of the user it is about (so nodes can tell its own sockets)
 * @param name the user's name (for a rename: the old name)
 * @param to the new name, for a rename; otherwise {@code null}
 */
public record Signal(Kind kind, String room, String user, String name, String to) {

  public enum Kind { JOIN, LEAVE, TYPING, RENAME }

  public static Signal join(String room, String user, String name) {
    return new Signal(Kind.JOIN, room, user, name, null);
  }

  public static Signal leave(String room, String user, String name) {
    return new Signal(Kind.LEAVE, room, user, name, null);
  }

  public static Signal typing(String room, String user, String name) {
    return new Signal(Kind.TYPING, room, user, name, null);
  }

  public static Signal rename(String user, String from, String to) {
    return new Signal(Kind.RENAME, null, user, from, to);
  }
}
