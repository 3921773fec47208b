package dev.parley.store;

import dev.parley.chat.Message;
import java.util.List;

/** Messages oldest first, and whether older ones exist before the first. */
public record Page(List<Message> messages, boolean more) {}
