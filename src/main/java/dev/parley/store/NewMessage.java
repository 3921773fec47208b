package dev.parley.store;

/**
 * A message to be committed.
 *
 * @param room the room
 * @param sender the sender's identity key (session or connection), which scopes {@code cid}
 * @param cid the client's idempotency key, or {@code null}
 * @param from the sender's display name
 * @param text the text
 * @param ts the accept time in epoch milliseconds
 */
public record NewMessage(String room, String sender, String cid, String from, String text, long ts) {}
