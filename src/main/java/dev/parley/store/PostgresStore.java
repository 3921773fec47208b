package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The shared store of a cluster ({@code --db}): PostgreSQL, reached by a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}. Any number of Parley
 * processes may use one database at once.
 *
 * <p>Ids stay consecutive in commit order across processes because each group commit locks
 * the rows of the rooms it appends to ({@code SELECT ... FOR UPDATE}) until it commits; the
 * guest counter and the cookie secret are likewise row-locked or inserted race-free. Commits
 * are durable as PostgreSQL makes them ({@code synchronous_commit} on, by default).
 *
 * <p>Needs PostgreSQL 12 or newer ({@code plan_cache_mode}, {@code hashtextextended}).
 *
 * <p>One writer connection and four reader connections. Unless the URL says otherwise,
 * connecting gives up after 5 s and a query after 10 s, so a stage fails rather than hangs
 * when the server is gone or unreachable; the next batch reconnects by itself, and a batch
 * or read that finds its connection dead (a server restart) is retried once on a new one.
 */
public final class PostgresStore extends JdbcStore {
  private static final int READERS = 4;

  /**
   * @throws StoreStartupException when the database cannot be reached or has a newer schema
   */
  public PostgresStore(String jdbcUrl) {
    this(prepare(jdbcUrl), where(jdbcUrl));
  }

  private PostgresStore(String jdbcUrl, String where) {
    super("PostgreSQL store at " + where, "parley-pg", Dialect.POSTGRESQL,
        () -> open(jdbcUrl), () -> open(jdbcUrl), READERS);
  }

  /** The URL without its parameters, which may hold a password. */
  private static String where(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
  }

  private static Connection open(String jdbcUrl) throws SQLException {
    Properties defaults = new Properties(); // parameters in the URL take precedence over these
    defaults.setProperty("connectTimeout", "5");
    defaults.setProperty("socketTimeout", "10");
    defaults.setProperty("tcpKeepAlive", "true");
    defaults.setProperty("reWriteBatchedInserts", "true");
    defaults.setProperty("ApplicationName", "parley");
    Connection c = new Driver().connect(jdbcUrl, defaults);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + where(jdbcUrl));
    }
    try (Statement s = c.createStatement()) {
      // A generic plan made while the tables were small (seq scans) would otherwise stay cached
      // on this long-lived connection as they grow; planning each time costs far less.
      s.execute("SET plan_cache_mode = force_custom_plan");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static String prepare(String jdbcUrl) {
    try (Connection c = open(jdbcUrl)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new StoreStartupException("PostgreSQL at " + where(jdbcUrl) + " cannot be reached (" + e.getMessage()
          + "). Check --db and that the server is running, then start again.", e);
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    Migrations.migrate(dataSource, "the database at " + where(jdbcUrl), "--db", "postgresql");
    return jdbcUrl;
  }
}
