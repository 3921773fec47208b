package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a new JDBC connection; called again whenever a connection broke and was dropped. */
@FunctionalInterface
interface ConnectionFactory {
  Connection open() throws SQLException;
}
