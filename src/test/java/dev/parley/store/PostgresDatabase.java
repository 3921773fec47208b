package dev.parley.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database for one test class, made through the server named by
 * {@code PARLEY_TEST_PG_URL} (a URL to any existing database, such as {@code postgres}),
 * with one fresh schema per test so that tests never see each other's rows.
 */
final class PostgresDatabase implements AutoCloseable {
  static final String ENV = "PARLEY_TEST_PG_URL";

  private final String adminUrl;
  final String name = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private int schemas;

  /** The admin URL from the environment, or null when PostgreSQL tests should be skipped. */
  static String adminUrlFromEnv() {
    String url = System.getenv(ENV);
    return url == null || url.isBlank() ? null : url;
  }

  PostgresDatabase(String adminUrl) throws SQLException {
    this.adminUrl = adminUrl;
    admin("CREATE DATABASE " + name);
  }

  /** The URL of this database (not of a schema in it). */
  String url() {
    return withDatabase(adminUrl, name);
  }

  /** Creates a new, empty schema and returns a URL whose connections use it. */
  String newSchemaUrl() throws SQLException {
    String schema = "t" + (++schemas);
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Runs a statement on the server's admin database (for CREATE/ALTER/DROP DATABASE). */
  void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Refuses new connections to this database and ends the open ones, as a database going down does. */
  void goDown() throws SQLException {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
    dropConnections();
  }

  /** Ends every open connection to this database, as a server restart does. */
  void dropConnections() throws SQLException {
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  }

  void comeBack() throws SQLException {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  static String withDatabase(String url, String database) {
    int hostStart = url.indexOf("//") + 2;
    int pathStart = url.indexOf('/', hostStart);
    int query = url.indexOf('?');
    String head = url.substring(0, pathStart < 0 || (query >= 0 && pathStart > query) ? (query < 0 ? url.length() : query) : pathStart);
    String tail = query < 0 ? "" : url.substring(query);
    return head + "/" + database + tail;
  }

  @Override
  public void close() throws SQLException {
    comeBack();
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
