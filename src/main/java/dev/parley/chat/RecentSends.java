package dev.parley.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of recent sends that carried a {@code cid}, so that a retry is answered with
 * the first send's ack before any rate check, even from a new connection of the same session.
 * Bounded: the oldest are forgotten first, and the store's own idempotency covers those.
 */
final class RecentSends {
  private final Map<String, CompletableFuture<Message>> outcomes;

  RecentSends(int capacity) {
    this.outcomes = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Message>> eldest) {
        return size() > capacity;
      }
    };
  }

  static String key(String sender, String room, String cid) {
    return sender + '\0' + room + '\0' + cid;
  }

  CompletableFuture<Message> get(String key) {
    return outcomes.get(key);
  }

  void put(String key, CompletableFuture<Message> outcome) {
    outcomes.put(key, outcome);
  }

  void remove(String key, CompletableFuture<Message> outcome) {
    outcomes.remove(key, outcome);
  }
}
