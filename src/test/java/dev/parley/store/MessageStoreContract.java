package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} adapter promises, as one suite that each adapter's test
 * class runs against a fresh, empty store. Persistent adapters run
 * {@link PersistentStoreContract} as well.
 */
abstract class MessageStoreContract {
  static final long DAY = TimeUnit.DAYS.toMillis(1);

  protected MessageStore store;

  /** A new, empty store. */
  protected abstract MessageStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  static NewMessage msg(String room, String text) {
    return new NewMessage(room, "s-alice", null, "alice", text, 1_000L);
  }

  static NewMessage msg(String room, String sender, String cid, String text) {
    return new NewMessage(room, sender, cid, "name-" + sender, text, 2_000L);
  }

  Message append(String room, String text) throws Exception {
    Appended a = await(store.append(msg(room, text)));
    assertFalse(a.duplicate());
    return a.message();
  }

  void appendMany(String room, int n) throws Exception {
    List<CompletionStage<Appended>> stages = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      stages.add(store.append(msg(room, "m" + i)));
    }
    for (CompletionStage<Appended> s : stages) {
      await(s);
    }
  }

  static List<Long> ids(List<Message> messages) {
    return messages.stream().map(Message::id).collect(Collectors.toList());
  }

  static List<Long> idRange(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  // ---- appends and ids

  @Test
  void appendsGetConsecutiveIdsPerRoom() throws Exception {
    assertEquals(1, append("general", "a").id());
    assertEquals(2, append("general", "b").id());
    assertEquals(3, append("general", "c").id());
    assertEquals(3L, await(store.lastId("general")));
  }

  @Test
  void roomsAreNumberedIndependently() throws Exception {
    append("a", "1");
    append("a", "2");
    assertEquals(1, append("b", "1").id());
    assertEquals(3, append("a", "3").id());
  }

  @Test
  void anAppendReturnsTheCommittedMessageAsSent() throws Exception {
    Message m = await(store.append(new NewMessage("general", "s-1", "c-1", "Bob", "hello", 1234L))).message();
    assertEquals(new Message("general", 1, "Bob", "hello", 1234L), m);
    assertEquals(List.of(m), await(store.range("general", 0, 10, 10)));
  }

  @Test
  void textIsKeptVerbatim() throws Exception {
    String text = "  <b>bold</b> \"quoted\" 'single' \\ back\nline\r\n\ttab ünïcödé 日本語 😀 \uD83D\uDC4D  ";
    append("general", text);
    assertEquals(text, await(store.range("general", 0, 1, 1)).get(0).text());
  }

  @Test
  void appendingToANewRoomCreatesIt() throws Exception {
    append("fresh", "hi");
    assertEquals(List.of(new RoomSummary("fresh", 1)), await(store.rooms()));
  }

  @Test
  void appendStagesOfOneRoomCompleteInIdOrder() throws Exception {
    ConcurrentLinkedQueue<Long> completed = new ConcurrentLinkedQueue<>();
    List<CompletionStage<?>> stages = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      stages.add(store.append(msg("general", "m" + i)).thenAccept(a -> completed.add(a.message().id())));
    }
    for (CompletionStage<?> s : stages) {
      await(s);
    }
    assertEquals(idRange(1, 500), new ArrayList<>(completed));
  }

  @Test
  void concurrentAppendsFromManyThreadsStayConsecutive() throws Exception {
    int threads = 16;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            String room = i % 2 == 0 ? "even" : "odd";
            ids.add(await(store.append(msg(room, "s" + thread, "c" + i, "t" + thread + "-" + i))).message().id());
          }
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each / 2L, await(store.lastId("even")));
    assertEquals(threads * each / 2L, await(store.lastId("odd")));
    assertEquals(idRange(1, threads * each / 2), ids(await(store.range("even", 0, Long.MAX_VALUE, 10_000))));
    assertEquals(idRange(1, threads * each / 2), ids(await(store.range("odd", 0, Long.MAX_VALUE, 10_000))));
  }

  // ---- idempotency

  @Test
  void aRepeatedCidReturnsTheOriginalMessage() throws Exception {
    Appended first = await(store.append(msg("general", "s1", "cid-1", "first")));
    Appended again = await(store.append(msg("general", "s1", "cid-1", "second try")));
    assertFalse(first.duplicate());
    assertTrue(again.duplicate());
    assertEquals(first.message(), again.message());
    assertEquals(1L, await(store.lastId("general")));
  }

  @Test
  void aRepeatedCidInTheSameBatchIsStoredOnce() throws Exception {
    List<CompletionStage<Appended>> stages = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      stages.add(store.append(msg("general", "s1", "same", "try " + i)));
    }
    List<Appended> results = new ArrayList<>();
    for (CompletionStage<Appended> s : stages) {
      results.add(await(s));
    }
    assertFalse(results.get(0).duplicate());
    for (Appended a : results.subList(1, results.size())) {
      assertTrue(a.duplicate());
      assertEquals(results.get(0).message(), a.message());
    }
    assertEquals(1L, await(store.lastId("general")));
  }

  @Test
  void cidsAreScopedBySenderAndRoom() throws Exception {
    assertFalse(await(store.append(msg("general", "s1", "c", "x"))).duplicate());
    assertFalse(await(store.append(msg("general", "s2", "c", "x"))).duplicate());
    assertFalse(await(store.append(msg("other", "s1", "c", "x"))).duplicate());
    assertEquals(2L, await(store.lastId("general")));
  }

  @Test
  void messagesWithoutCidAreNeverDuplicates() throws Exception {
    append("general", "same");
    append("general", "same");
    assertEquals(2L, await(store.lastId("general")));
  }

  // ---- rooms

  @Test
  void lastIdIsZeroForAnUnknownRoom() throws Exception {
    assertEquals(0L, await(store.lastId("nowhere")));
  }

  @Test
  void createRoomMakesAnEmptyRoomAndKeepsAnExistingOne() throws Exception {
    await(store.createRoom("empty"));
    append("busy", "x");
    await(store.createRoom("busy"));
    assertEquals(List.of(new RoomSummary("busy", 1), new RoomSummary("empty", 0)), await(store.rooms()));
  }

  @Test
  void roomsAreListedByName() throws Exception {
    for (String room : List.of("zeta", "a-b", "ab", "a_b", "9", "general")) {
      await(store.createRoom(room));
    }
    List<String> names = await(store.rooms()).stream().map(RoomSummary::name).collect(Collectors.toList());
    assertEquals(List.of("9", "a-b", "a_b", "ab", "general", "zeta"), names);
  }

  // ---- reading history

  @Test
  void rangeReturnsTheMessagesAfterAnIdUpToAnId() throws Exception {
    appendMany("general", 10);
    assertEquals(idRange(4, 7), ids(await(store.range("general", 3, 7, 100))));
    assertEquals(idRange(1, 10), ids(await(store.range("general", 0, Long.MAX_VALUE, 100))));
    assertEquals(List.of(), await(store.range("general", 10, 20, 100)));
    assertEquals(List.of(), await(store.range("nowhere", 0, 20, 100)));
  }

  @Test
  void rangeHonoursItsLimitWithTheOldestFirst() throws Exception {
    appendMany("general", 10);
    assertEquals(idRange(3, 5), ids(await(store.range("general", 2, 10, 3))));
    assertEquals(List.of(), await(store.range("general", 2, 10, 0)));
  }

  @Test
  void beforeReturnsTheNewestMessagesBelowAnIdOldestFirst() throws Exception {
    appendMany("general", 10);
    Page page = await(store.before("general", 8, 3));
    assertEquals(idRange(5, 7), ids(page.messages()));
    assertTrue(page.more());
    Page newest = await(store.before("general", Long.MAX_VALUE, 4));
    assertEquals(idRange(7, 10), ids(newest.messages()));
  }

  @Test
  void beforeTellsWhetherOlderMessagesExist() throws Exception {
    appendMany("general", 5);
    assertFalse(await(store.before("general", 6, 5)).more());
    assertTrue(await(store.before("general", 6, 4)).more());
    assertFalse(await(store.before("general", 4, 3)).more());
    Page empty = await(store.before("nowhere", Long.MAX_VALUE, 50));
    assertEquals(List.of(), empty.messages());
    assertFalse(empty.more());
  }

  @Test
  void beforePagesOverTheWholeHistory() throws Exception {
    appendMany("general", 23);
    List<Long> seen = new ArrayList<>();
    long before = Long.MAX_VALUE;
    boolean more = true;
    while (more) {
      Page page = await(store.before("general", before, 5));
      seen.addAll(0, ids(page.messages()));
      before = page.messages().get(0).id();
      more = page.more();
    }
    assertEquals(idRange(1, 23), seen);
  }

  // ---- guests

  @Test
  void guestNumbersAreNeverTheSameTwice() throws Exception {
    List<CompletionStage<Long>> stages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      stages.add(store.nextGuestNumber());
    }
    Set<Long> numbers = new HashSet<>();
    for (CompletionStage<Long> s : stages) {
      long n = await(s);
      assertTrue(n > 0);
      assertTrue(numbers.add(n), "guest number " + n + " given twice");
    }
  }

  // ---- sessions and names

  @Test
  void aSessionIsUnknownUntilItClaimsAName() throws Exception {
    assertEquals(Optional.empty(), await(store.session("sid-1")));
    assertTrue(await(store.claimName("sid-1", "Alice", 100, 0)));
    assertEquals(Optional.of(new SessionRecord("sid-1", "Alice", 100)), await(store.session("sid-1")));
  }

  @Test
  void claimNameRefusesANameHeldByAnotherRecentSession() throws Exception {
    assertTrue(await(store.claimName("sid-1", "alice", 1_000, 0)));
    assertFalse(await(store.claimName("sid-2", "alice", 2_000, 500)));
    assertEquals(Optional.empty(), await(store.session("sid-2")));
  }

  @Test
  void claimNameComparesNamesCaseInsensitively() throws Exception {
    assertTrue(await(store.claimName("sid-1", "Alice", 1_000, 0)));
    assertFalse(await(store.claimName("sid-2", "aLICE", 2_000, 500)));
  }

  @Test
  void claimNameGrantsANameWhoseHolderWasLastSeenBeforeHeldSince() throws Exception {
    assertTrue(await(store.claimName("sid-1", "alice", 1_000, 0)));
    assertTrue(await(store.claimName("sid-2", "Alice", 9_000, 1_001)));
    assertEquals("Alice", await(store.session("sid-2")).orElseThrow().name());
  }

  @Test
  void aSessionMayRenameToACaseVariantOfItsOwnName() throws Exception {
    assertTrue(await(store.claimName("sid-1", "alice", 1_000, 0)));
    assertTrue(await(store.claimName("sid-1", "ALICE", 2_000, 0)));
    assertEquals(new SessionRecord("sid-1", "ALICE", 2_000), await(store.session("sid-1")).orElseThrow());
  }

  @Test
  void aSessionHasOneNameAtATime() throws Exception {
    assertTrue(await(store.claimName("sid-1", "alice", 1_000, 0)));
    assertTrue(await(store.claimName("sid-1", "bob", 2_000, 0)));
    assertTrue(await(store.claimName("sid-2", "alice", 3_000, 0)), "alice was released by the rename");
    assertFalse(await(store.claimName("sid-3", "BOB", 3_000, 0)));
  }

  @Test
  void claimNameWithoutASessionOnlyChecks() throws Exception {
    assertTrue(await(store.claimName(null, "carol", 1_000, 0)));
    assertTrue(await(store.claimName("sid-1", "carol", 1_000, 0)), "the check stored nothing");
    assertFalse(await(store.claimName(null, "Carol", 2_000, 500)));
  }

  @Test
  void concurrentClaimsOfOneNameGrantItOnce() throws Exception {
    List<CompletionStage<Boolean>> stages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stages.add(store.claimName("sid-" + i, "popular", 1_000, 0));
    }
    int granted = 0;
    for (CompletionStage<Boolean> s : stages) {
      granted += await(s) ? 1 : 0;
    }
    assertEquals(1, granted);
  }

  @Test
  void touchSessionMovesLastSeenForwardOnly() throws Exception {
    await(store.claimName("sid-1", "alice", 1_000, 0));
    await(store.touchSession("sid-1", 5_000));
    assertEquals(5_000, await(store.session("sid-1")).orElseThrow().lastSeen());
    await(store.touchSession("sid-1", 3_000));
    assertEquals(5_000, await(store.session("sid-1")).orElseThrow().lastSeen());
  }

  @Test
  void touchingAnUnknownSessionStoresNothing() throws Exception {
    await(store.touchSession("ghost", 5_000));
    assertEquals(Optional.empty(), await(store.session("ghost")));
  }

  // ---- secret and health

  @Test
  void theSecretHas32BytesAndStaysTheSame() throws Exception {
    byte[] secret = await(store.secret());
    assertEquals(32, secret.length);
    assertFalse(allZero(secret), "random, not all zero");
    assertArrayEquals(secret, await(store.secret()));
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void pingSucceedsOnAWorkingStore() throws Exception {
    await(store.ping());
  }

  // ---- retention

  Retention retention() {
    return (Retention) store;
  }

  @Test
  void pruneKeepsTheNewestMessagesOfEachRoom() throws Exception {
    Retention retention = retention();
    appendMany("a", 30);
    appendMany("b", 3);
    assertEquals(20L, await(retention.prune(0, 10)));
    assertEquals(idRange(21, 30), ids(await(store.range("a", 0, 100, 100))));
    assertEquals(idRange(1, 3), ids(await(store.range("b", 0, 100, 100))));
    assertFalse(await(store.before("a", Long.MAX_VALUE, 10)).more());
  }

  @Test
  void pruneDropsMessagesOlderThanTheRetainedDays() throws Exception {
    Retention retention = retention();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      await(store.append(new NewMessage("general", "s", null, "old", "old " + i, now - 10 * DAY)));
    }
    for (int i = 0; i < 3; i++) {
      await(store.append(new NewMessage("general", "s", null, "new", "new " + i, now)));
    }
    assertEquals(5L, await(retention.prune(7, 0)));
    assertEquals(idRange(6, 8), ids(await(store.range("general", 0, 100, 100))));
  }

  @Test
  void pruneWithNoLimitsKeepsEverything() throws Exception {
    Retention retention = retention();
    appendMany("general", 5);
    assertEquals(0L, await(retention.prune(0, 0)));
    assertEquals(5L, await(store.lastId("general")));
  }

  @Test
  void idsNeverGoBackwardsAfterAPrune() throws Exception {
    Retention retention = retention();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 12_000; i += 1_000) {
      appendManyAt("general", 1_000, now - 30 * DAY);
    }
    assertEquals(12_000L, await(retention.prune(1, 0)), "pruned in several chunks");
    assertEquals(List.of(), await(store.range("general", 0, Long.MAX_VALUE, 10)));
    assertEquals(12_000L, await(store.lastId("general")));
    assertEquals(12_001, append("general", "next").id());
    assertEquals(List.of(new RoomSummary("general", 12_001)), await(store.rooms()));
  }

  @Test
  void forgettingOldSessionsKeepsTheRecentOnes() throws Exception {
    Retention retention = retention();
    await(store.claimName("old", "alice", 1_000, 0));
    await(store.claimName("recent", "bob", 5_000, 0));
    assertEquals(1L, await(retention.forgetSessionsSeenBefore(2_000)));
    assertEquals(Optional.empty(), await(store.session("old")));
    assertEquals("bob", await(store.session("recent")).orElseThrow().name());
  }

  private void appendManyAt(String room, int n, long ts) throws Exception {
    List<CompletionStage<Appended>> stages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      stages.add(store.append(new NewMessage(room, "s", null, "x", "m" + i, ts)));
    }
    for (CompletionStage<Appended> s : stages) {
      await(s);
    }
  }
}
