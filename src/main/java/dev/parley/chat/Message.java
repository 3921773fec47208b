package dev.parley.chat;

/**
 * A committed chat message.
 *
 * @param room the room it was sent to
 * @param id its position in the room: consecutive from 1, assigned at commit
 * @param from the sender's name at the time of sending
 * @param text the text, verbatim
 * @param ts the server's accept time, epoch milliseconds
 */
public record Message(String room, long id, String from, String text, long ts) {}
