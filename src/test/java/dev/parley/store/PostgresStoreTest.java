package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL adapter against the contract, plus what a shared database adds: several
 * processes (here, several stores) at once, and a database that goes away and comes back.
 * Skipped unless {@code PARLEY_TEST_PG_URL} names a server, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
 */
class PostgresStoreTest extends PersistentStoreContract {
  private static PostgresDatabase database;
  private String url;

  @BeforeAll
  static void createDatabase() throws Exception {
    String admin = PostgresDatabase.adminUrlFromEnv();
    assumeTrue(admin != null, PostgresDatabase.ENV + " is not set");
    database = new PostgresDatabase(admin);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected MessageStore newStore() throws Exception {
    url = database.newSchemaUrl();
    return new PostgresStore(url);
  }

  @Override
  protected MessageStore reopen(MessageStore old) {
    old.close();
    return new PostgresStore(url);
  }

  @Test
  void twoProcessesSharingTheDatabaseKeepIdsConsecutiveInCommitOrder() throws Exception {
    try (PostgresStore other = new PostgresStore(url)) {
      List<CompletionStage<Appended>> mine = new ArrayList<>();
      List<CompletionStage<Appended>> theirs = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        String room = i % 3 == 0 ? "a" : "b";
        mine.add(store.append(msg(room, "s1", "c" + i, "mine " + i)));
        theirs.add(other.append(msg(room, "s2", "c" + i, "theirs " + i)));
      }
      Set<String> ids = new HashSet<>();
      for (List<CompletionStage<Appended>> stages : List.of(mine, theirs)) {
        long previousA = 0;
        long previousB = 0;
        for (CompletionStage<Appended> s : stages) {
          Appended a = await(s);
          assertTrue(ids.add(a.message().room() + a.message().id()), "id given twice: " + a.message());
          if (a.message().room().equals("a")) {
            assertTrue(a.message().id() > previousA, "one process's appends complete in id order");
            previousA = a.message().id();
          } else {
            assertTrue(a.message().id() > previousB);
            previousB = a.message().id();
          }
        }
      }
      assertEquals(idRange(1, 668), ids(await(store.range("a", 0, Long.MAX_VALUE, 10_000))));
      assertEquals(idRange(1, 1_332), ids(await(other.range("b", 0, Long.MAX_VALUE, 10_000))));
    }
  }

  @Test
  void twoProcessesShareGuestNumbersNamesAndTheSecret() throws Exception {
    try (PostgresStore other = new PostgresStore(url)) {
      List<CompletionStage<Long>> guests = new ArrayList<>();
      List<CompletionStage<Boolean>> claims = new ArrayList<>();
      CompletionStage<byte[]> secret1 = store.secret();
      CompletionStage<byte[]> secret2 = other.secret();
      for (int i = 0; i < 100; i++) {
        guests.add(store.nextGuestNumber());
        guests.add(other.nextGuestNumber());
        claims.add(store.claimName("a" + i, "Popular", 1_000, 0));
        claims.add(other.claimName("b" + i, "popular", 1_000, 0));
      }
      Set<Long> numbers = new HashSet<>();
      for (CompletionStage<Long> g : guests) {
        assertTrue(numbers.add(await(g)));
      }
      int granted = 0;
      for (CompletionStage<Boolean> c : claims) {
        granted += await(c) ? 1 : 0;
      }
      assertEquals(1, granted);
      assertArrayEquals(await(secret1), await(secret2));
    }
  }

  @Test
  void processesWritingEverythingAtOnceNeverDeadlock() throws Exception {
    List<PostgresStore> others = List.of(new PostgresStore(url), new PostgresStore(url));
    try {
      List<MessageStore> stores = List.of(store, others.get(0), others.get(1));
      List<CompletionStage<?>> stages = new ArrayList<>();
      java.util.Random random = new java.util.Random(42);
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 600; i++) {
          MessageStore s = stores.get(random.nextInt(3));
          String sid = "sid" + random.nextInt(5);
          switch (random.nextInt(5)) {
            case 0 -> stages.add(s.claimName(sid, "name" + random.nextInt(3), i, 0));
            case 1 -> stages.add(s.touchSession(sid, i));
            case 2 -> stages.add(s.nextGuestNumber());
            default -> stages.add(s.append(msg("room" + random.nextInt(40) + "-" + round, "s", null, "x")));
          }
        }
        for (CompletionStage<?> stage : stages) {
          await(stage); // a deadlock aborts a batch, which would fail its stages here
        }
        stages.clear();
      }
      for (RoomSummary room : await(store.rooms())) {
        assertEquals(idRange(1, room.lastId()), ids(await(store.range(room.name(), 0, Long.MAX_VALUE, 10_000))));
      }
    } finally {
      others.forEach(PostgresStore::close);
    }
  }

  @Test
  void aDatabaseThatGoesDownFailsStagesAndTheStoreRecoversWhenItComesBack() throws Exception {
    append("general", "before");
    await(store.lastId("general"));
    database.goDown();
    try {
      Exception write = assertThrows(Exception.class, () -> await(store.append(msg("general", "s", "retry-me", "during"))));
      assertFalse(write instanceof TimeoutException, "fails, does not hang");
      assertTrue(write instanceof StoreUnavailableException, write.toString());
      assertTrue(write.getMessage().startsWith("PostgreSQL store at "), write.getMessage());
      assertThrows(StoreUnavailableException.class, () -> await(store.lastId("general")));
      assertThrows(StoreUnavailableException.class, () -> await(store.ping()));
    } finally {
      database.comeBack();
    }
    await(store.ping());
    Appended retried = await(store.append(msg("general", "s", "retry-me", "during")));
    assertEquals(2, retried.message().id(), "the failed append was not stored, and ids continue");
    assertEquals(idRange(1, 2), ids(await(store.range("general", 0, 10, 10))));
  }

  @Test
  void connectionsEndedByTheServerAreReplacedWithoutFailingAStage() throws Exception {
    append("general", "before");
    await(store.lastId("general"));
    database.dropConnections();
    assertEquals(2, append("general", "after").id());
    assertEquals(2L, await(store.lastId("general")));
  }

  @Test
  void aDatabaseFromANewerParleyIsRefused() throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
          + "checksum, installed_by, execution_time, success) VALUES (99, '999', 'future', 'SQL', "
          + "'V999__future.sql', 0, 'test', 0, true)");
    }
    StoreStartupException e = assertThrows(StoreStartupException.class, () -> new PostgresStore(url));
    assertTrue(e.getMessage().contains("was written by a newer Parley (schema version 999); this jar knows up to 1."
        + " Upgrade Parley or point --db elsewhere."), e.getMessage());
  }

  @Test
  void anUnreachableServerStopsStartUpWithAMessage() {
    StoreStartupException e = assertThrows(StoreStartupException.class,
        () -> new PostgresStore("jdbc:postgresql://127.0.0.1:1/parley?user=postgres"));
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    assertTrue(e.getMessage().contains("Check --db"), e.getMessage());
  }
}
