package dev.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Retention} for the SQL stores: per room, finds the highest id to drop (a prefix of
 * the history, so what remains stays consecutive), then deletes up to it in chunks of
 * {@value #CHUNK}, each a write of its own in the group-commit queue, so appends arriving
 * meanwhile wait for one chunk at most. {@code rooms.last_id} is never touched: ids go on.
 */
final class Pruner {
  private static final int CHUNK = 5_000;

  private final GroupCommitWriter writer;
  private final Supplier<CompletionStage<List<RoomSummary>>> rooms;

  Pruner(GroupCommitWriter writer, Supplier<CompletionStage<List<RoomSummary>>> rooms) {
    this.writer = writer;
    this.rooms = rooms;
  }

  CompletionStage<Long> prune(int retainDays, int retainMessages) {
    if (retainDays <= 0 && retainMessages <= 0) {
      return CompletableFuture.completedFuture(0L);
    }
    long cutoffTs = retainDays > 0 ? System.currentTimeMillis() - TimeUnit.DAYS.toMillis(retainDays) : Long.MIN_VALUE;
    return rooms.get().thenCompose(list -> {
      CompletionStage<Long> total = CompletableFuture.completedFuture(0L);
      for (RoomSummary room : list) {
        total = total.thenCompose(sum -> pruneRoom(room.name(), cutoffTs, retainMessages).thenApply(n -> sum + n));
      }
      return total;
    });
  }

  private CompletionStage<Long> pruneRoom(String room, long cutoffTs, int retainMessages) {
    return writer.submit(Write.of(b -> pruneUpTo(b.sql(), room, cutoffTs, retainMessages)))
        .thenCompose(upTo -> deleteUpTo(room, upTo, 0L));
  }

  /** The highest id to delete: every older message goes, so what remains stays consecutive. */
  private static long pruneUpTo(CachedConnection c, String room, long cutoffTs, int retainMessages) throws SQLException {
    long lastId;
    PreparedStatement s = c.prepare("SELECT last_id FROM rooms WHERE name = ?");
    s.setString(1, room);
    try (ResultSet rs = s.executeQuery()) {
      lastId = rs.next() ? rs.getLong(1) : 0;
    }
    long upTo = retainMessages > 0 ? lastId - retainMessages : 0;
    if (cutoffTs != Long.MIN_VALUE) {
      PreparedStatement young = c.prepare("SELECT MIN(id) FROM messages WHERE room = ? AND ts >= ?");
      young.setString(1, room);
      young.setLong(2, cutoffTs);
      try (ResultSet rs = young.executeQuery()) {
        rs.next();
        long firstYoung = rs.getLong(1);
        upTo = Math.max(upTo, rs.wasNull() ? lastId : firstYoung - 1);
      }
    }
    return upTo;
  }

  /** Deletes in chunks, one small transaction each, so appends queued meanwhile wait little. */
  private CompletionStage<Long> deleteUpTo(String room, long upTo, long deleted) {
    return writer.submit(Write.of(b -> {
      CachedConnection c = b.sql();
      PreparedStatement min = c.prepare("SELECT MIN(id) FROM messages WHERE room = ?");
      min.setString(1, room);
      long lowest;
      try (ResultSet rs = min.executeQuery()) {
        rs.next();
        lowest = rs.getLong(1);
        if (rs.wasNull() || lowest > upTo) {
          return 0L;
        }
      }
      PreparedStatement delete = c.prepare("DELETE FROM messages WHERE room = ? AND id <= ?");
      delete.setString(1, room);
      delete.setLong(2, Math.min(upTo, lowest + CHUNK - 1));
      return (long) delete.executeUpdate();
    })).thenCompose(n -> n == 0 ? CompletableFuture.completedFuture(deleted) : deleteUpTo(room, upTo, deleted + n));
  }
}
