package dev.parley.chat;

/**
 * What a client asks of the chat, whatever transport carried it. Transports check the
 * shape (types, required fields, lengths of {@code ref} and {@code cid}); the hub checks
 * everything else. Every command may carry a {@code ref} that its replies echo.
 */
public sealed interface Command {
  /** The client's correlation string, or {@code null}. */
  String ref();

  /** Join a room; with {@code since}, recover every message after it. */
  record Join(String ref, String room, Long since) implements Command {}

  record Leave(String ref, String room) implements Command {}

  /** Send a text; {@code cid} (nullable) makes retries idempotent. */
  record Send(String ref, String room, String text, String cid) implements Command {}

  record Typing(String ref, String room) implements Command {}

  record Nick(String ref, String name) implements Command {}

  /** Page back through a room: the newest {@code limit} messages with id below {@code before}. */
  record History(String ref, String room, Long before, Integer limit) implements Command {}

  record Who(String ref, String room) implements Command {}
}
