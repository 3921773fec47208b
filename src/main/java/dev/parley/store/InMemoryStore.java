package dev.parley.store;

import dev.parley.chat.Message;
import dev.parley.chat.UserNames;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A store that keeps everything in memory: for tests and for trying Parley without a disk.
 * Nothing survives the process. Every stage is already complete when returned.
 */
public final class InMemoryStore implements MessageStore, Retention {
  private final Map<String, Room> rooms = new TreeMap<>();
  private final Map<String, Message> byCid = new HashMap<>();
  private final Map<String, SessionRecord> sessions = new HashMap<>();
  private final byte[] secret = new byte[32];
  private long guests;

  /** A room's messages by id, and its last id (which a prune never lowers). */
  private static final class Room {
    final TreeMap<Long, Message> messages = new TreeMap<>();
    long lastId;
  }

  public InMemoryStore() {
    new SecureRandom().nextBytes(secret);
  }

  private Room room(String name) {
    return rooms.computeIfAbsent(name, r -> new Room());
  }

  @Override
  public synchronized CompletionStage<Appended> append(NewMessage m) {
    String cidKey = m.cid() == null ? null : m.room() + '\0' + m.sender() + '\0' + m.cid();
    if (cidKey != null && byCid.containsKey(cidKey)) {
      return done(new Appended(byCid.get(cidKey), true));
    }
    Room room = room(m.room());
    Message message = new Message(m.room(), ++room.lastId, m.from(), m.text(), m.ts());
    room.messages.put(message.id(), message);
    if (cidKey != null) {
      byCid.put(cidKey, message);
    }
    return done(new Appended(message, false));
  }

  @Override
  public synchronized CompletionStage<Void> createRoom(String room) {
    room(room);
    return done(null);
  }

  @Override
  public synchronized CompletionStage<Long> lastId(String room) {
    Room r = rooms.get(room);
    return done(r == null ? 0L : r.lastId);
  }

  @Override
  public synchronized CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    Room r = rooms.get(room);
    if (r == null || afterId >= upToId) {
      return done(List.of());
    }
    return done(r.messages.subMap(afterId, false, upToId, true).values().stream().limit(limit).toList());
  }

  @Override
  public synchronized CompletionStage<Page> before(String room, long beforeId, int limit) {
    Room r = rooms.get(room);
    if (r == null) {
      return done(new Page(List.of(), false));
    }
    NavigableMap<Long, Message> older = r.messages.headMap(beforeId, false);
    List<Message> page = new ArrayList<>(older.descendingMap().values().stream().limit(limit).toList());
    java.util.Collections.reverse(page);
    boolean more = !page.isEmpty() && older.firstKey() < page.get(0).id();
    return done(new Page(List.copyOf(page), more));
  }

  @Override
  public synchronized CompletionStage<List<RoomSummary>> rooms() {
    List<RoomSummary> summaries = new ArrayList<>();
    rooms.forEach((name, room) -> summaries.add(new RoomSummary(name, room.lastId)));
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
  public synchronized CompletionStage<Long> prune(int retainDays, int retainMessages) {
    long cutoff = retainDays > 0 ? System.currentTimeMillis() - retainDays * 86_400_000L : Long.MIN_VALUE;
    long pruned = 0;
    for (Room room : rooms.values()) {
      while (!room.messages.isEmpty()
          && ((retainMessages > 0 && room.messages.size() > retainMessages)
              || room.messages.firstEntry().getValue().ts() < cutoff)) {
        room.messages.pollFirstEntry();
        pruned++;
      }
    }
    byCid.values().removeIf(m -> !rooms.get(m.room()).messages.containsKey(m.id()));
    return done(pruned);
  }

  @Override
  public synchronized CompletionStage<Long> forgetSessionsSeenBefore(long cutoff) {
    int before = sessions.size();
    sessions.values().removeIf(s -> s.lastSeen() < cutoff);
    return done((long) (before - sessions.size()));
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
