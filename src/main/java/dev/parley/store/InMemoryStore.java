package dev.parley.store;

import dev.parley.chat.Message;
import dev.parley.chat.UserNames;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A store that keeps everything in memory: for tests and for trying Parley without a disk.
 * Nothing survives the process. Every stage is already complete when returned.
 */
public final class InMemoryStore implements MessageStore {
  private final Map<String, List<Message>> rooms = new TreeMap<>();
  private final Map<String, Message> byCid = new HashMap<>();
  private final Map<String, SessionRecord> sessions = new HashMap<>();
  private final byte[] secret = new byte[32];
  private long guests;

  public InMemoryStore() {
    new SecureRandom().nextBytes(secret);
  }

  @Override
  public synchronized CompletionStage<Appended> append(NewMessage m) {
    String cidKey = m.cid() == null ? null : m.room() + '\0' + m.sender() + '\0' + m.cid();
    if (cidKey != null && byCid.containsKey(cidKey)) {
      return done(new Appended(byCid.get(cidKey), true));
    }
    List<Message> room = rooms.computeIfAbsent(m.room(), r -> new ArrayList<>());
    Message message = new Message(m.room(), room.size() + 1L, m.from(), m.text(), m.ts());
    room.add(message);
    if (cidKey != null) {
      byCid.put(cidKey, message);
    }
    return done(new Appended(message, false));
  }

  @Override
  public synchronized CompletionStage<Void> createRoom(String room) {
    rooms.computeIfAbsent(room, r -> new ArrayList<>());
    return done(null);
  }

  @Override
  public synchronized CompletionStage<Long> lastId(String room) {
    return done((long) rooms.getOrDefault(room, List.of()).size());
  }

  @Override
  public synchronized CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    List<Message> all = rooms.getOrDefault(room, List.of());
    int from = (int) Math.max(0, afterId);
    int to = (int) Math.min(all.size(), Math.min(upToId, from + (long) limit));
    return done(from >= to ? List.of() : List.copyOf(all.subList(from, to)));
  }

  @Override
  public synchronized CompletionStage<Page> before(String room, long beforeId, int limit) {
    List<Message> all = rooms.getOrDefault(room, List.of());
    int to = (int) Math.min(all.size(), Math.max(0, beforeId - 1));
    int from = Math.max(0, to - limit);
    return done(new Page(List.copyOf(all.subList(from, to)), from > 0));
  }

  @Override
  public synchronized CompletionStage<List<RoomSummary>> rooms() {
    List<RoomSummary> summaries = new ArrayList<>();
    rooms.forEach((name, messages) -> summaries.add(new RoomSummary(name, messages.size())));
    return done(summaries);
  }

  @Override
  public synchronized CompletionStage<Long> nextGuestNumber() {
    return done(++guests);
  }

  @Override
  public synchronized CompletionStage<Optional<SessionRecord>> session(String sid) {
    return done(Optional.ofNullable(sessions.get(sid)));
  }

  @Override
  public synchronized CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince) {
    String key = UserNames.key(name);
    boolean heldByOther = sessions.values().stream()
        .anyMatch(s -> !s.sid().equals(sid) && UserNames.key(s.name()).equals(key) && s.lastSeen() >= heldSince);
    if (heldByOther) {
      return done(false);
    }
    if (sid != null) {
      sessions.put(sid, new SessionRecord(sid, name, now));
    }
    return done(true);
  }

  @Override
  public synchronized CompletionStage<Void> touchSession(String sid, long now) {
    sessions.computeIfPresent(sid, (k, s) -> new SessionRecord(sid, s.name(), Math.max(now, s.lastSeen())));
    return done(null);
  }

  @Override
  public CompletionStage<byte[]> secret() {
    return done(secret.clone());
  }

  @Override
  public CompletionStage<Void> ping() {
    return done(null);
  }

  @Override
  public void close() {}

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
