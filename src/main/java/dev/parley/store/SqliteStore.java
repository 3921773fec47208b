package dev.parley.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;

/**
 * The embedded store: one SQLite file, {@code parley.db} in the data folder ({@code --data},
 * default {@code ./data}), for a single Parley process.
 *
 * <p><b>Durability.</b> The file is in WAL mode. By default {@code synchronous=NORMAL}: a
 * commit appends to the WAL with a write(2) but no fsync, so it lives in the operating
 * system's page cache the moment the stage completes, and a {@code kill -9} (or any crash of
 * the JVM) cannot lose it; the next open replays the WAL. Only an operating-system crash or a
 * power loss can lose the last commits (never corrupt the file, never leave a gap: SQLite
 * drops whole transactions from the WAL's end). That is what the wire contract asks ("a kill
 * -9 of any process cannot lose it") at a fraction of the cost: an fsync per group commit
 * would bound the store by the disk's flush latency. Pass {@code syncEveryCommit} to get
 * {@code synchronous=FULL}, which fsyncs the WAL on every commit and survives power loss too.
 *
 * <p><b>Threads.</b> One writer connection (transactions begin IMMEDIATE, taking SQLite's
 * write lock up front) and three reader connections, which WAL lets run beside the writer.
 * A busy file (another process holding the lock) is waited on for up to five seconds.
 *
 * <p><b>Start-up</b> refuses a file that is not a sound SQLite database ({@code PRAGMA
 * quick_check}, which reads the whole file once) and a database from a newer Parley, with a
 * message that says what to do; it creates the folder and migrates an older schema forward.
 */
public final class SqliteStore extends JdbcStore {
  /** The file name inside the data folder. */
  public static final String FILE_NAME = "parley.db";
  private static final int BUSY_TIMEOUT_MS = 5_000;
  private static final int READERS = 3;

  /** Opens (creating if needed) {@code parley.db} in the folder, fast and safe against process crashes. */
  public SqliteStore(Path dataFolder) {
    this(dataFolder, false);
  }

  /**
   * @param syncEveryCommit {@code true} for {@code synchronous=FULL}: survives power loss as
   *     well as process crashes, at the cost of one fsync per group commit
   * @throws StoreStartupException when the folder or file cannot be used, with what to do
   */
  public SqliteStore(Path dataFolder, boolean syncEveryCommit) {
    this(prepare(dataFolder.resolve(FILE_NAME), syncEveryCommit));
  }

  /** A file that passed the start-up checks and was migrated. */
  private record Checked(Path file, boolean syncEveryCommit) {}

  private SqliteStore(Checked checked) {
    super("SQLite store at " + checked.file(), "parley-sqlite", Dialect.SQLITE,
        () -> open(checked.file(), config(true, checked.syncEveryCommit())),
        () -> open(checked.file(), config(false, checked.syncEveryCommit())),
        READERS);
  }

  private static SQLiteConfig config(boolean writer, boolean syncEveryCommit) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(syncEveryCommit ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    if (writer) {
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    return config;
  }

  private static Connection open(Path file, SQLiteConfig config) throws SQLException {
    return config.createConnection(url(file));
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file;
  }

  /** Checks the folder and the file, migrates the schema, and returns the file. */
  private static Checked prepare(Path file, boolean syncEveryCommit) {
    Path folder = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new StoreStartupException("The data folder " + file.getParent() + " cannot be created (" + e
          + "). Make it writable or point --data elsewhere, then start again.", e);
    }
    try (Connection c = open(file, config(true, syncEveryCommit)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      String verdict = rs.next() ? rs.getString(1) : "no answer";
      if (!"ok".equals(verdict)) {
        throw corrupt(file, verdict, null);
      }
    } catch (SQLException e) {
      int code = e.getErrorCode() & 0xff;
      if (code == SQLiteErrorCode.SQLITE_NOTADB.code || code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
        throw corrupt(file, e.getMessage(), e);
      }
      throw new StoreStartupException(file + " cannot be opened (" + e.getMessage()
          + "). Check that the data folder is writable and has free space, or point --data elsewhere,"
          + " then start again.", e);
    }
    SQLiteDataSource dataSource = new SQLiteDataSource(config(true, syncEveryCommit));
    dataSource.setUrl(url(file));
    Migrations.migrate(dataSource, "the database at " + file, "--data", "sqlite");
    return new Checked(file, syncEveryCommit);
  }

  private static StoreStartupException corrupt(Path file, String detail, Throwable cause) {
    return new StoreStartupException(file + " is not a valid SQLite database (" + detail
        + "). Move it aside or restore it from a backup, then start again.", cause);
  }
}
