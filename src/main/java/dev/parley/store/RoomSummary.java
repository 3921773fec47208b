package dev.parley.store;

/** A room that exists, and the id of its newest message (0 when it has none). */
public record RoomSummary(String name, long lastId) {}
