package dev.parley.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of recent sends that carried a {@code cid}, so that a retry is answered with
 * the first send's ack before any rate check, even from a new connection of the same session.
 * Bounded in count, and small per entry (no text): the oldest are forgotten first, and the
 * store's own idempotency covers those.
 */
final class RecentSends {
  /** What a repeated send is answered with: the ack's fields, not the text (which may be large). */
  record Acked(String room, long id, long ts) {
    static Acked of(Message m) {
      return new Acked(m.room(), m.id(), m.ts());
    }
  }

  private final Map<String, CompletableFuture<Acked>> outcomes;

  RecentSends(int capacity) {
    this.outcomes = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Acked>> eldest) {
        return size() > capacity;
      }
    };
  }

  static String key(String sender, String room, String cid) {
    return sender + '\0' + room + '\0' + cid;
  }

  CompletableFuture<Acked> get(String key) {
    return outcomes.get(key);
  }

  void put(String key, CompletableFuture<Acked> outcome) {
    outcomes.put(key, outcome);
  }

  void remove(String key, CompletableFuture<Acked> outcome) {
    outcomes.remove(key, outcome);
  }
}
