package dev.parley.store;

import dev.parley.chat.Message;

/**
 * The outcome of an append.
 *
 * @param message the committed message: the new one, or the original for a repeated cid
 * @param duplicate {@code true} when the (room, sender, cid) was already stored
 */
public record Appended(Message message, boolean duplicate) {}
