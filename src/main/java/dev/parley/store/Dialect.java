package dev.parley.store;

import dev.parley.chat.Message;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * processes) and the name being claimed (an advisory lock held until commit).
 */
enum Dialect {
  SQLITE {
    @Override
    String lockRoomSql() {
      return "SELECT last_id FROM rooms WHERE name = ?";
    }

    @Override
    void lockName(CachedConnection c, String nameKey) {
      // the transaction already holds SQLite's single write lock
    }

    @Override
    Map<String, Message> findCids(CachedConnection c, String room, List<NewMessage> messages) throws SQLException {
      // In-process lookups by primary index cost microseconds: one per message is fine.
      PreparedStatement s = c.prepare(
          "SELECT id, sender_name, text, ts FROM messages WHERE room = ? AND cid = ? AND sender = ?");
      Map<String, Message> found = new HashMap<>();
      for (NewMessage m : messages) {
        s.setString(1, room);
        s.setString(2, m.cid());
        s.setString(3, m.sender());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            found.put(cidKey(room, m.sender(), m.cid()),
                new Message(room, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
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
    String lockRoomSql() {
      return "SELECT last_id FROM rooms WHERE name = ? FOR UPDATE";
    }

    @Override
    void lockName(CachedConnection c, String nameKey) throws SQLException {
      PreparedStatement s = c.prepare("SELECT pg_advisory_xact_lock(hashtextextended('parley-name:' || ?, 0))");
      s.setString(1, nameKey);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
      }
    }

    @Override
    Map<String, Message> findCids(CachedConnection c, String room, List<NewMessage> messages) throws SQLException {
      // One round trip for the whole batch of a room; the index (room, cid, sender) serves it.
      PreparedStatement s = c.prepare(
          "SELECT cid, sender, id, sender_name, text, ts FROM messages WHERE room = ? AND cid = ANY (?)");
      s.setString(1, room);
      s.setArray(2, c.connection().createArrayOf("text", messages.stream().map(NewMessage::cid).toArray()));
      Map<String, Message> found = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.put(cidKey(room, rs.getString(2), rs.getString(1)),
              new Message(room, rs.getLong(3), rs.getString(4), rs.getString(5), rs.getLong(6)));
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

  /** Reads a room's last id inside the write transaction, locking the row where others could write it. */
  abstract String lockRoomSql();

  /** Keeps other processes from claiming the same name until this transaction ends. */
  abstract void lockName(CachedConnection c, String nameKey) throws SQLException;

  /** The stored messages of this room with the cids of these messages, by {@link #cidKey}. */
  abstract Map<String, Message> findCids(CachedConnection c, String room, List<NewMessage> messages)
      throws SQLException;

  /** Proves inside a write transaction that the database takes writes. */
  abstract void ping(CachedConnection c, long now) throws SQLException;

  /** Whether the failure was a lost connection, after which one retry on a new connection is worth it. */
  abstract boolean isConnectionLoss(Throwable e);

  static String cidKey(String room, String sender, String cid) {
    return room + '\0' + sender + '\0' + cid;
  }
}
