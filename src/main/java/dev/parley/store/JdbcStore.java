package dev.parley.store;

import dev.parley.chat.Message;
import dev.parley.chat.UserNames;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link MessageStore} over SQL, shared by {@link SqliteStore} and {@link PostgresStore}:
 * writes (appends, rooms, guests, sessions, the secret) go through one
 * {@link GroupCommitWriter}, reads through a {@link ReaderPool}. No method blocks: each
 * returns its stage at once, and the stage completes on the store's own threads.
 */
abstract class JdbcStore implements MessageStore, Retention {
  private static final String SECRET = "cookie_secret";

  private final String name;
  private final Dialect dialect;
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final Pruner pruner;
  private volatile byte[] secret;

  JdbcStore(String name, String threadPrefix, Dialect dialect, ConnectionFactory writerConnections,
      ConnectionFactory readerConnections, int readerCount) {
    this.name = name;
    this.dialect = dialect;
    this.writer = new GroupCommitWriter(name, threadPrefix, writerConnections, dialect);
    this.readers = new ReaderPool(name, threadPrefix, readerCount, readerConnections, dialect::isConnectionLoss);
    this.pruner = new Pruner(writer, this::rooms);
  }

  /** What this store is, for messages: "SQLite store at data/parley.db". */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public CompletionStage<Appended> append(NewMessage message) {
    return writer.submit(Write.append(message));
  }

  @Override
  public CompletionStage<Void> createRoom(String room) {
    return writer.submit(Write.of(b -> {
      PreparedStatement s = b.sql().prepare(Batch.INSERT_ROOM);
      s.setString(1, room);
      s.executeUpdate();
      return null;
    }));
  }

  @Override
  public CompletionStage<Long> lastId(String room) {
    return readers.submit(c -> {
      PreparedStatement s = c.prepare("SELECT last_id FROM rooms WHERE name = ?");
      s.setString(1, room);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public CompletionStage<List<Message>> range(String room, long afterId, long upToId, int limit) {
    if (limit <= 0 || upToId <= afterId) {
      return CompletableFuture.completedFuture(List.of());
    }
    return readers.submit(c -> {
      PreparedStatement s = c.prepare("SELECT id, sender_name, text, ts FROM messages "
          + "WHERE room = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?");
      s.setString(1, room);
      s.setLong(2, afterId);
      s.setLong(3, upToId);
      s.setLong(4, limit);
      return messages(room, s);
    });
  }

  @Override
  public CompletionStage<Page> before(String room, long beforeId, int limit) {
    int wanted = Math.max(0, limit);
    return readers.submit(c -> {
      PreparedStatement s = c.prepare("SELECT id, sender_name, text, ts FROM messages "
          + "WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?");
      s.setString(1, room);
      s.setLong(2, beforeId);
      s.setLong(3, wanted + 1L); // one more than asked tells whether older ones exist
      List<Message> newestFirst = messages(room, s);
      boolean more = newestFirst.size() > wanted;
      List<Message> page = new ArrayList<>(newestFirst.subList(0, Math.min(wanted, newestFirst.size())));
      Collections.reverse(page);
      return new Page(List.copyOf(page), more);
    });
  }

  private static List<Message> messages(String room, PreparedStatement s) throws SQLException {
    List<Message> list = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        list.add(new Message(room, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return list;
  }

  @Override
  public CompletionStage<List<RoomSummary>> rooms() {
    return readers.submit(c -> {
      List<RoomSummary> list = new ArrayList<>();
      try (ResultSet rs = c.prepare("SELECT name, last_id FROM rooms").executeQuery()) {
        while (rs.next()) {
          list.add(new RoomSummary(rs.getString(1), rs.getLong(2)));
        }
      }
      list.sort(Comparator.comparing(RoomSummary::name)); // by code point, whatever the DB's collation
      return list;
    });
  }

  @Override
  public CompletionStage<Long> nextGuestNumber() {
    return writer.submit(Write.counter(b -> {
      // The counter row stays locked until commit, so processes sharing the DB never get the same number.
      b.sql().prepare("UPDATE counters SET value = value + 1 WHERE name = 'guest'").executeUpdate();
      try (ResultSet rs = b.sql().prepare("SELECT value FROM counters WHERE name = 'guest'").executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the guest counter is missing");
        }
        return rs.getLong(1);
      }
    }));
  }

  @Override
  public CompletionStage<Optional<SessionRecord>> session(String sid) {
    return readers.submit(c -> {
      PreparedStatement s = c.prepare("SELECT name, last_seen FROM sessions WHERE sid = ?");
      s.setString(1, sid);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new SessionRecord(sid, rs.getString(1), rs.getLong(2))) : Optional.empty();
      }
    });
  }

  @Override
  public CompletionStage<Boolean> claimName(String sid, String name, long now, long heldSince) {
    String key = UserNames.key(name);
    if (sid == null) {
      return readers.submit(c -> !heldByAnother(c, null, key, heldSince));
    }
    return writer.submit(Write.session(sid, key, b -> {
      CachedConnection c = b.sql();
      if (heldByAnother(c, sid, key, heldSince)) {
        return false;
      }
      PreparedStatement s = c.prepare("INSERT INTO sessions (sid, name, name_key, last_seen) VALUES (?, ?, ?, ?) "
          + "ON CONFLICT (sid) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, "
          + "last_seen = excluded.last_seen");
      s.setString(1, sid);
      s.setString(2, name);
      s.setString(3, key);
      s.setLong(4, now);
      s.executeUpdate();
      return true;
    }));
  }

  private static boolean heldByAnother(CachedConnection c, String sid, String key, long heldSince) throws SQLException {
    PreparedStatement s;
    if (sid == null) {
      s = c.prepare("SELECT 1 FROM sessions WHERE name_key = ? AND last_seen >= ? LIMIT 1");
    } else {
      s = c.prepare("SELECT 1 FROM sessions WHERE name_key = ? AND last_seen >= ? AND sid <> ? LIMIT 1");
      s.setString(3, sid);
    }
    s.setString(1, key);
    s.setLong(2, heldSince);
    try (ResultSet rs = s.executeQuery()) {
      return rs.next();
    }
  }

  @Override
  public CompletionStage<Void> touchSession(String sid, long now) {
    return writer.submit(Write.session(sid, null, b -> {
      PreparedStatement s = b.sql().prepare("UPDATE sessions SET last_seen = ? WHERE sid = ? AND last_seen < ?");
      s.setLong(1, now);
      s.setString(2, sid);
      s.setLong(3, now);
      s.executeUpdate();
      return null;
    }));
  }

  @Override
  public CompletionStage<byte[]> secret() {
    byte[] known = secret;
    if (known != null) {
      return CompletableFuture.completedFuture(known.clone());
    }
    return readers.submit(c -> readSecret(c))
        .thenCompose(found -> found != null
            ? CompletableFuture.completedFuture(found)
            : writer.submit(Write.of(b -> createSecret(b.sql()))))
        .thenApply(value -> {
          secret = value;
          return value.clone();
        });
  }

  private static byte[] readSecret(CachedConnection c) throws SQLException {
    PreparedStatement s = c.prepare("SELECT value FROM settings WHERE name = ?");
    s.setString(1, SECRET);
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? HexFormat.of().parseHex(rs.getString(1)) : null;
    }
  }

  /** Inserts a fresh secret unless another process got there first; either way returns the stored one. */
  private static byte[] createSecret(CachedConnection c) throws SQLException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    PreparedStatement s = c.prepare("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    s.setString(1, SECRET);
    s.setString(2, HexFormat.of().formatHex(fresh));
    s.executeUpdate();
    byte[] stored = readSecret(c);
    if (stored == null) {
      throw new SQLException("the cookie secret could not be stored");
    }
    return stored;
  }

  /** Goes through the writer: ready means a write would commit now, not only that a connection opens. */
  @Override
  public CompletionStage<Void> ping() {
    return writer.submit(Write.of(b -> {
      dialect.ping(b.sql(), System.currentTimeMillis());
      return null;
    }));
  }

  @Override
  public CompletionStage<Long> prune(int retainDays, int retainMessages) {
    return pruner.prune(retainDays, retainMessages);
  }

  @Override
  public CompletionStage<Long> forgetSessionsSeenBefore(long cutoff) {
    return writer.submit(Write.of(b -> {
      PreparedStatement s = b.sql().prepare("DELETE FROM sessions WHERE last_seen < ?");
      s.setLong(1, cutoff);
      return (long) s.executeUpdate();
    }));
  }

  /** Commits the writes already accepted, then releases threads and connections. */
  @Override
  public void close() {
    writer.close();
    readers.close();
  }
}
