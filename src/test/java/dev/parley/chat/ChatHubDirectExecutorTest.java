package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.broker.InProcessBroker;
import dev.parley.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hub with an executor that runs tasks inline ({@code Runnable::run}) and a store whose
 * stages are already complete: callbacks then run inside the code that registered them.
 */
@Timeout(60)
class ChatHubDirectExecutorTest {

  @Test
  void aJoinIsAnsweredEvenWhenTheHubsExecutorRunsTasksInline() {
    ManualScheduler clock = new ManualScheduler(Runnable::run);
    ChatHub hub = new ChatHub(new InMemoryStore(), new InProcessBroker(), Limits.defaults(), clock, Runnable::run, 0);
    FakeClient a = new FakeClient("a", false);
    hub.connect(a, null);
    hub.handle(a, new Command.Join("j", "lobby", null));
    assertEquals("lobby", a.reply("j", Event.Joined.class).room());
    hub.handle(a, new Command.Send("s", "lobby", "hi", null));
    assertEquals(1, a.reply("s", Event.Ack.class).id());
    assertEquals(java.util.List.of(1L), a.posted("lobby"));
  }
}
