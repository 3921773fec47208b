package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection owned by one thread, with its prepared statements kept for reuse: preparing
 * SQL again for every batch or read would cost more than running it. Not thread-safe.
 */
final class CachedConnection implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  CachedConnection(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** The prepared statement for this SQL, prepared on first use. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** Closes the statements and the connection, ignoring failures: it is being thrown away. */
  @Override
  public void close() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException | RuntimeException ignored) {
        // the connection is being dropped anyway
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // nothing more to do for a connection that is already broken
    }
  }
}
