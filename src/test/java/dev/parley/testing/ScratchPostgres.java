package dev.parley.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database on the shared server named by {@code PARLEY_TEST_PG_URL}
 * (a JDBC URL to any existing database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}).
 * It can be made unreachable and reachable again without touching the server, which other tests share.
 */
public final class ScratchPostgres implements AutoCloseable {
  public static final String ENV = "PARLEY_TEST_PG_URL";

  private final String adminUrl;
  private final String name = "parley_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  /** The admin URL from the environment, or null when PostgreSQL tests should be skipped. */
  public static String adminUrlFromEnv() {
    String url = System.getenv(ENV);
    return url == null || url.isBlank() ? null : url;
  }

  public ScratchPostgres(String adminUrl) throws SQLException {
    this.adminUrl = adminUrl;
    admin("CREATE DATABASE " + name);
  }

  public String name() {
    return name;
  }

  /** The admin URL with its database swapped for this one (parameters such as user kept). */
  public String url() {
    int hostStart = adminUrl.indexOf("//") + 2;
    int query = adminUrl.indexOf('?');
    int end = query < 0 ? adminUrl.length() : query;
    int slash = adminUrl.indexOf('/', hostStart);
    String head = adminUrl.substring(0, slash < 0 || slash > end ? end : slash);
    return head + "/" + name + adminUrl.substring(end);
  }

  /** Runs a statement on the admin database. */
  public void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** New connections to this database are refused and the open ones are ended; the server keeps running. */
  public void goDown() throws SQLException {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
    terminateBackends();
  }

  public void comeBack() throws SQLException {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
  }

  public void terminateBackends() throws SQLException {
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  }

  @Override
  public void close() throws SQLException {
    comeBack();
    terminateBackends();
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
