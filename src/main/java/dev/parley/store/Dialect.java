package dev.parley.store;

import dev.parley.chat.Message;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between the SQL databases; everything else is shared SQL in {@link Batch}
 * and {@link JdbcStore}.
 *
 * <p>SQLite has one writer at a time for the whole file (the writer's transactions begin
 * IMMEDIATE), so a plain read inside the transaction is already exclusive. PostgreSQL is
 * shared by several Parley processes, so the writer locks what it is about to change: the
 * room rows ({@code FOR UPDATE}, which also makes ids consecutive in commit order across
 * processes), the names and sessions being written (advisory locks held until commit) and
 * the guest counter.
 */
enum Dialect {
  SQLITE {
    @Override
    Map<String, Long> lockRooms(CachedConnection c, Collection<String> rooms) throws SQLException {
      // The transaction already holds SQLite's single write lock: reading is enough.
      Map<String, Long> lastIds = new HashMap<>();
      PreparedStatement select = c.prepare("SELECT last_id FROM rooms WHERE name = ?");
      for (String room : rooms) {
        select.setString(1, room);
        try (ResultSet rs = select.executeQuery()) {
          if (rs.next()) {
            lastIds.put(room, rs.getLong(1));
            continue;
          }
        }
        PreparedStatement insert = c.prepare(Batch.INSERT_ROOM);
        insert.setString(1, room);
        insert.executeUpdate();
        lastIds.put(room, 0L);
      }
      return lastIds;
    }

    @Override
    void lockKey(CachedConnection c, String key) {
      // the transaction already holds SQLite's single write lock
    }

    @Override
    void lockCounter(CachedConnection c) {
      // the transaction already holds SQLite's single write lock
    }

    @Override
    Map<String, Message> findCids(CachedConnection c, List<NewMessage> messages) throws SQLException {
      // In-process lookups by index cost microseconds: one per message is fine.
      PreparedStatement s = c.prepare(
          "SELECT id, sender_name, text, ts FROM messages WHERE room = ? AND cid = ? AND sender = ?");
      Map<String, Message> found = new HashMap<>();
      for (NewMessage m : messages) {
        s.setString(1, m.room());
        s.setString(2, m.cid());
        s.setString(3, m.sender());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            found.put(cidKey(m.room(), m.sender(), m.cid()),
                new Message(m.room(), rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
          }
        }
      }
      return found;
    }

    @Override
    void ping(CachedConnection c, long now) throws SQLException {
      // A real write: a full disk or a read-only file shows here, not only a live connection.
      PreparedStatement s = c.prepare("INSERT INTO settings (name, value) VALUES ('last_ping', ?) "
          + "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
      s.setString(1, Long.toString(now));
      s.executeUpdate();
    }

    @Override
    boolean isConnectionLoss(Throwable e) {
      return false; // an embedded database has no connection to lose
    }
  },

  POSTGRESQL {
    @Override
    Map<String, Long> lockRooms(CachedConnection c, Collection<String> rooms) throws SQLException {
      // One round trip locks every room of the batch, in name order, so no two processes
      // wait for each other. A missing room is created in a transaction of its own first:
      // inserting it inside the batch would hold it out of that order and could deadlock.
      Map<String, Long> lastIds = selectRoomsForUpdate(c, rooms);
      if (lastIds.size() < rooms.size()) {
        c.connection().rollback(); // nothing else was done yet: only these row locks are let go
        PreparedStatement insert = c.prepare("INSERT INTO rooms (name, last_id) SELECT n, 0 FROM unnest (?::text[]) AS n "
            + "ORDER BY n ON CONFLICT (name) DO NOTHING");
        insert.setArray(1, c.connection().createArrayOf("text",
            rooms.stream().filter(r -> !lastIds.containsKey(r)).toArray()));
        insert.executeUpdate();
        c.connection().commit();
        lastIds.clear();
        lastIds.putAll(selectRoomsForUpdate(c, rooms));
      }
      return lastIds;
    }

    private Map<String, Long> selectRoomsForUpdate(CachedConnection c, Collection<String> rooms) throws SQLException {
      PreparedStatement s = c.prepare("SELECT name, last_id FROM rooms WHERE name = ANY (?) ORDER BY name FOR UPDATE");
      s.setArray(1, c.connection().createArrayOf("text", rooms.toArray()));
      Map<String, Long> lastIds = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lastIds.put(rs.getString(1), rs.getLong(2));
        }
      }
      return lastIds;
    }

    @Override
    void lockKey(CachedConnection c, String key) throws SQLException {
      PreparedStatement s = c.prepare("SELECT pg_advisory_xact_lock(hashtextextended('parley:' || ?, 0))");
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
      }
    }

    @Override
    void lockCounter(CachedConnection c) throws SQLException {
      try (ResultSet rs = c.prepare("SELECT value FROM counters WHERE name = 'guest' FOR UPDATE").executeQuery()) {
        rs.next();
      }
    }

    @Override
    Map<String, Message> findCids(CachedConnection c, List<NewMessage> messages) throws SQLException {
      // One round trip for the whole batch: one index probe of (room, cid, sender) per message.
      PreparedStatement s = c.prepare("SELECT m.room, m.cid, m.sender, m.id, m.sender_name, m.text, m.ts "
          + "FROM unnest (?::text[], ?::text[], ?::text[]) AS k (room, cid, sender) "
          + "JOIN messages m ON m.room = k.room AND m.cid = k.cid AND m.sender = k.sender WHERE m.cid IS NOT NULL");
      s.setArray(1, c.connection().createArrayOf("text", messages.stream().map(NewMessage::room).toArray()));
      s.setArray(2, c.connection().createArrayOf("text", messages.stream().map(NewMessage::cid).toArray()));
      s.setArray(3, c.connection().createArrayOf("text", messages.stream().map(NewMessage::sender).toArray()));
      Map<String, Message> found = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String room = rs.getString(1);
          found.put(cidKey(room, rs.getString(3), rs.getString(2)),
              new Message(room, rs.getLong(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
        }
      }
      return found;
    }

    @Override
    void ping(CachedConnection c, long now) throws SQLException {
      // No shared row is written: every node pings, and they must not queue on one row lock.
      try (ResultSet rs = c.prepare("SELECT 1").executeQuery()) {
        rs.next();
      }
    }

    @Override
    boolean isConnectionLoss(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql && sql.getSQLState() != null
            && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
          return true;
        }
      }
      return false;
    }
  };

  /**
   * Reads the rooms' last ids inside the write transaction, creating missing rooms, and locks
   * their rows until commit where other processes could write them.
   *
   * @param rooms sorted by name
   */
  abstract Map<String, Long> lockRooms(CachedConnection c, Collection<String> rooms) throws SQLException;

  /** Keeps other processes from writing what the key names (a name, a session) until this transaction ends. */
  abstract void lockKey(CachedConnection c, String key) throws SQLException;

  /** Locks the guest counter until this transaction ends. */
  abstract void lockCounter(CachedConnection c) throws SQLException;

  /** The stored messages with the (room, sender, cid) of these messages, by {@link #cidKey}. */
  abstract Map<String, Message> findCids(CachedConnection c, List<NewMessage> messages) throws SQLException;

  /** Proves inside a write transaction that the database takes writes. */
  abstract void ping(CachedConnection c, long now) throws SQLException;

  /** Whether the failure was a lost connection, after which one retry on a new connection is worth it. */
  abstract boolean isConnectionLoss(Throwable e);

  static String cidKey(String room, String sender, String cid) {
    return room + '\0' + sender + '\0' + cid;
  }
}
