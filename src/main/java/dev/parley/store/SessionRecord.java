package dev.parley.store;

/**
 * What is kept of a browser session.
 *
 * @param sid the session id from the {@code parley_sid} cookie
 * @param name the session's current name
 * @param lastSeen when a socket of the session last connected or closed, epoch milliseconds
 */
public record SessionRecord(String sid, String name, long lastSeen) {}
