package dev.parley.web;

import dev.parley.chat.Command;
import dev.parley.chat.Event;

/**
 * One wire format: how a text frame becomes a command and an event becomes a text frame.
 * Implementations are stateless: one instance serves every socket of its kind.
 */
sealed interface Protocol permits JsonProtocol, PlainProtocol {

  /** What a text frame asked for: a command, or an answer the transport gives at once. */
  sealed interface Parsed {
    record Ok(Command command) implements Parsed {}

    /** The frame is malformed: answered with {@code bad_request}. */
    record Malformed(String ref, String words) implements Parsed {}

    /** The frame is answered locally, without the hub (e.g. {@code /help}). */
    record Local(String reply) implements Parsed {}
  }

  Parsed parse(String frame);

  /** The frame for an event, or {@code null} when this protocol does not show it. */
  String encode(Event event);
}
