package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What a persistent adapter promises beyond {@link MessageStore}'s contract: everything
 * survives closing the store and opening it again on the same data.
 */
abstract class PersistentStoreContract extends MessageStoreContract {

  /** Closes the store and opens it again on the same data. */
  protected abstract MessageStore reopen(MessageStore old) throws Exception;

  @Test
  void idsContinueAfterReopening() throws Exception {
    appendMany("general", 5);
    store = reopen(store);
    assertEquals(5L, await(store.lastId("general")));
    assertEquals(6, append("general", "after").id());
    assertEquals(idRange(1, 6), ids(await(store.range("general", 0, 100, 100))));
  }

  @Test
  void aRepeatedCidIsRecognisedAfterReopening() throws Exception {
    Message original = await(store.append(msg("general", "s1", "c1", "x"))).message();
    store = reopen(store);
    Appended again = await(store.append(msg("general", "s1", "c1", "x")));
    assertTrue(again.duplicate());
    assertEquals(original, again.message());
  }

  @Test
  void sessionsGuestNumbersAndRoomsSurviveReopening() throws Exception {
    await(store.claimName("sid-1", "alice", 1_000, 0));
    long guest = await(store.nextGuestNumber());
    await(store.createRoom("empty"));
    store = reopen(store);
    assertEquals("alice", await(store.session("sid-1")).orElseThrow().name());
    assertTrue(await(store.nextGuestNumber()) > guest);
    assertEquals(List.of(new RoomSummary("empty", 0)), await(store.rooms()));
  }

  @Test
  void secretIsStableAcrossReopens() throws Exception {
    byte[] secret = await(store.secret());
    store = reopen(store);
    assertArrayEquals(secret, await(store.secret()));
  }

  @Test
  void closeCommitsTheWritesAlreadyAccepted() throws Exception {
    MessageStore closing = store;
    List<CompletionStage<Appended>> stages = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      stages.add(closing.append(msg("general", "m" + i)));
    }
    store = reopen(closing); // closes without waiting for the stages first
    for (CompletionStage<Appended> s : stages) {
      assertFalse(s.toCompletableFuture().isCompletedExceptionally());
      await(s);
    }
    assertEquals(300L, await(store.lastId("general")));
  }

  @Test
  void aClosedStoreFailsNewStagesInsteadOfHanging() throws Exception {
    MessageStore closed = store;
    store = reopen(closed);
    Exception e = assertThrows(Exception.class, () -> await(closed.append(msg("general", "late"))));
    assertFalse(e instanceof TimeoutException, "the stage must fail, not hang");
    assertThrows(Exception.class, () -> await(closed.lastId("general")));
  }

  @Test
  void idsNeverGoBackwardsAfterAPruneAndAReopen() throws Exception {
    Retention retention = retention();
    appendMany("general", 10);
    await(retention.prune(0, 1));
    store = reopen(store);
    assertEquals(11, append("general", "next").id());
    assertEquals(idRange(10, 11), ids(await(store.range("general", 0, 100, 100))));
  }
}
