package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite adapter against the contract, plus its start-up checks. Each test has its own folder. */
class SqliteStoreTest extends PersistentStoreContract {
  @TempDir
  Path dir;

  @Override
  protected MessageStore newStore() {
    return new SqliteStore(dir.resolve("data"));
  }

  @Override
  protected MessageStore reopen(MessageStore old) {
    old.close();
    return new SqliteStore(dir.resolve("data"));
  }

  private Path file() {
    return dir.resolve("data").resolve(SqliteStore.FILE_NAME);
  }

  private String pragma(String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void theFileIsInWalMode() throws Exception {
    append("general", "x");
    assertEquals("wal", pragma("journal_mode"));
  }

  @Test
  void aMissingDataFolderIsCreated() throws Exception {
    store.close();
    store = new SqliteStore(dir.resolve("a").resolve("b"));
    append("general", "x");
    assertTrue(Files.exists(dir.resolve("a").resolve("b").resolve(SqliteStore.FILE_NAME)));
  }

  @Test
  void anEmptyFileIsMigratedToTheCurrentSchema() throws Exception {
    store.close();
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.write(other.resolve(SqliteStore.FILE_NAME), new byte[0]);
    store = new SqliteStore(other);
    append("general", "x");
  }

  @Test
  void aCorruptFileStopsStartUpWithAMessageSayingWhatToDo() throws Exception {
    store.close();
    store = null;
    Files.writeString(file(), "this is not a database, just some text that happens to be long enough. ".repeat(100));
    Files.deleteIfExists(file().resolveSibling(SqliteStore.FILE_NAME + "-wal"));
    Files.deleteIfExists(file().resolveSibling(SqliteStore.FILE_NAME + "-shm"));
    StoreStartupException e = assertThrows(StoreStartupException.class, () -> new SqliteStore(dir.resolve("data")));
    assertTrue(e.getMessage().contains("is not a valid SQLite database"), e.getMessage());
    assertTrue(e.getMessage().contains("Move it aside or restore it from a backup, then start again."), e.getMessage());
  }

  @Test
  void aDamagedPageStopsStartUp() throws Exception {
    appendMany("general", 3_000);
    store.close();
    store = null;
    byte[] bytes = Files.readAllBytes(file());
    assertTrue(bytes.length > 64 * 1024, "a file of many pages");
    for (int i = 8 * 4096; i < bytes.length - 4096; i += 4096) {
      for (int j = 0; j < 64; j++) {
        bytes[i + j] = (byte) 0xA5; // scribble over the start (the b-tree header) of most pages
      }
    }
    Files.write(file(), bytes);
    StoreStartupException e = assertThrows(StoreStartupException.class, () -> new SqliteStore(dir.resolve("data")));
    assertTrue(e.getMessage().contains("is not a valid SQLite database"), e.getMessage());
  }

  @Test
  void aDatabaseFromANewerParleyIsRefused() throws Exception {
    store.close();
    store = null;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
          + "checksum, installed_by, execution_time, success) VALUES (99, '999', 'future', 'SQL', "
          + "'V999__future.sql', 0, 'test', 0, 1)");
    }
    StoreStartupException e = assertThrows(StoreStartupException.class, () -> new SqliteStore(dir.resolve("data")));
    assertTrue(e.getMessage().contains("was written by a newer Parley (schema version 999); this jar knows up to 1."),
        e.getMessage());
    assertTrue(e.getMessage().contains("Upgrade Parley or point --data elsewhere."), e.getMessage());
  }

  @Test
  void aDataFolderThatCannotBeCreatedStopsStartUp() throws Exception {
    Path notAFolder = dir.resolve("plain-file");
    Files.writeString(notAFolder, "x");
    StoreStartupException e = assertThrows(StoreStartupException.class, () -> new SqliteStore(notAFolder.resolve("data")));
    assertTrue(e.getMessage().contains("point --data elsewhere"), e.getMessage());
  }
}
