package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A shutdown settles only once every send it received is answered, those still queued included. */
@Timeout(60)
class ChatHubShutdownTest {
  private final HubFixture f = new HubFixture();

  @Test
  void aSendWaitingBehindItsSocketsJoinIsAcknowledgedBeforeTheShutdownSettles() {
    FakeClient a = f.joined("general");
    f.store.hold.add(FlakyStore.Op.LAST_ID);
    f.handle(a, new Command.Join("j", "other", null)); // opening "other" waits for the store
    f.handle(a, new Command.Send("s", "general", "last words", null)); // queued behind the join
    assertTheShutdownWaitsForTheHeldSendsAck(a);
  }

  @Test
  void aSendThatArrivedBeforeItsHelloIsAcknowledgedBeforeTheShutdownSettles() {
    f.store.hold.add(FlakyStore.Op.USERS);
    FakeClient a = f.connect();
    f.handle(a, new Command.Join("j", "general", null));
    f.handle(a, new Command.Send("s", "general", "early bird", null));
    assertTheShutdownWaitsForTheHeldSendsAck(a);
  }

  /** A shutdown begun now settles only once the send "s" that waits behind the held store is acknowledged. */
  private void assertTheShutdownWaitsForTheHeldSendsAck(FakeClient a) {
    f.hub.beginShutdown();
    CompletableFuture<Void> settled = f.hub.sendsSettled().toCompletableFuture();
    assertFalse(settled.isDone(), "settled with a received send neither stored nor answered");
    f.store.release();
    assertEquals(1, a.reply("s", Event.Ack.class).id());
    assertTrue(settled.isDone(), "still waiting once every send was answered");
  }

  @Test
  void aQueuedSendWhoseSocketClosesNoLongerHoldsTheShutdown() {
    FakeClient a = f.joined("general");
    f.store.hold.add(FlakyStore.Op.LAST_ID);
    f.handle(a, new Command.Join("j", "other", null));
    f.handle(a, new Command.Send("s", "general", "never mind", null));
    f.hub.beginShutdown();
    CompletableFuture<Void> settled = f.hub.sendsSettled().toCompletableFuture();
    f.disconnect(a);
    assertTrue(settled.isDone(), "a closed socket's queued send cannot be answered; the shutdown goes on");
  }
}
