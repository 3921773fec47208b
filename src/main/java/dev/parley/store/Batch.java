package dev.parley.store;

import dev.parley.chat.Message;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one group-commit transaction. Rooms are locked and their last ids read once
 * per batch; ids are then handed out in memory, message rows are sent as one JDBC batch, and
 * each room's {@code last_id} is written once. Known cids are looked up for the whole batch
 * at once, and cids appended earlier in the same batch are found here too, so a repeated cid
 * is a duplicate whether its original is in the database or a few items earlier.
 *
 * <p>The room row, not {@code MAX(id)}, is the source of ids: it is locked until commit
 * (consecutive ids in commit order across processes) and survives pruning (ids never go back).
 */
final class Batch {
  static final String INSERT_ROOM = "INSERT INTO rooms (name, last_id) VALUES (?, 0) ON CONFLICT (name) DO NOTHING";
  private static final String INSERT_MESSAGE =
      "INSERT INTO messages (room, id, sender, cid, sender_name, text, ts) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE_ROOM = "UPDATE rooms SET last_id = ? WHERE name = ?";

  private final CachedConnection c;
  private final Dialect dialect;
  private final Map<String, Long> lastIds = new HashMap<>();
  private final Set<String> changedRooms = new LinkedHashSet<>();
  private final Map<String, Message> cids = new HashMap<>();
  private int pendingInserts;

  Batch(CachedConnection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  /**
   * Locks what the writes will change, in the global order: rooms by name, then names and
   * sessions by key, then the guest counter; and finds the cids of the appends. Must be the
   * first thing the transaction does (creating a missing room may commit on its own).
   */
  void lock(List<Write<?>> writes) throws SQLException {
    TreeSet<String> rooms = new TreeSet<>();
    List<NewMessage> withCids = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>();
    boolean counter = false;
    for (Write<?> w : writes) {
      if (w.append != null) {
        rooms.add(w.append.room());
        if (w.append.cid() != null) {
          withCids.add(w.append);
        }
      }
      keys.addAll(w.lockKeys);
      counter |= w.counter;
    }
    if (!rooms.isEmpty()) {
      lastIds.putAll(dialect.lockRooms(c, rooms));
    }
    if (!withCids.isEmpty()) {
      cids.putAll(dialect.findCids(c, withCids));
    }
    for (String key : keys) {
      dialect.lockKey(c, key);
    }
    if (counter) {
      dialect.lockCounter(c);
    }
  }

  /** Gives the message the room's next id, or finds the original of a repeated cid. */
  Appended append(NewMessage m) throws SQLException {
    String key = m.cid() == null ? null : Dialect.cidKey(m.room(), m.sender(), m.cid());
    if (key != null) {
      Message original = cids.get(key);
      if (original != null) {
        return new Appended(original, true);
      }
    }
    Long last = lastIds.get(m.room());
    if (last == null) {
      throw new IllegalStateException("room " + m.room() + " was not locked by lock()");
    }
    long id = last + 1;
    lastIds.put(m.room(), id);
    changedRooms.add(m.room());
    PreparedStatement s = c.prepare(INSERT_MESSAGE);
    s.setString(1, m.room());
    s.setLong(2, id);
    s.setString(3, m.sender());
    s.setString(4, m.cid());
    s.setString(5, m.from());
    s.setString(6, m.text());
    s.setLong(7, m.ts());
    s.addBatch();
    pendingInserts++;
    Message message = new Message(m.room(), id, m.from(), m.text(), m.ts());
    if (key != null) {
      cids.put(key, message);
    }
    return new Appended(message, false);
  }

  /** The transaction's connection, with the appends so far written, for any other write. */
  CachedConnection sql() throws SQLException {
    flush();
    return c;
  }

  /** Writes the pending message rows and the rooms' new last ids. */
  void flush() throws SQLException {
    if (pendingInserts > 0) {
      pendingInserts = 0;
      c.prepare(INSERT_MESSAGE).executeBatch();
    }
    if (!changedRooms.isEmpty()) {
      PreparedStatement s = c.prepare(UPDATE_ROOM);
      for (String room : changedRooms) {
        s.setLong(1, lastIds.get(room));
        s.setString(2, room);
        s.addBatch();
      }
      changedRooms.clear();
      s.executeBatch();
    }
  }
}
