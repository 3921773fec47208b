package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.broker.InProcessBroker;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two hubs sharing one store, as two nodes of a cluster do: "no two holders share a name"
 * must hold across them, with only the store in common.
 */
@Timeout(60)
class ChatHubClusterNamesTest {
  private static final long DAY = 24L * 3600 * 1000;
  private final HubFixture node1 = new HubFixture();
  private final ChatHub node2 = new ChatHub(node1.store, new InProcessBroker(), Limits.defaults(), node1.clock,
      node1.loop, 0);

  private FakeClient connectToNode2(String sid) {
    FakeClient client = new FakeClient("node2:" + sid, false);
    node1.loop.execute(() -> node2.connect(client, sid));
    return client;
  }

  private Event nickOnNode2(FakeClient client, String name) {
    String ref = node1.ref();
    node1.loop.execute(() -> node2.handle(client, new Command.Nick(ref, name)));
    return client.events().stream().filter(e -> ref.equals(FakeClient.refOf(e))).findFirst().orElseThrow();
  }

  private static Function<Event, String> outcome() {
    return e -> e instanceof Event.Failure x ? x.code().wire() : e.getClass().getSimpleName();
  }

  @Test
  void guestNumbersComeFromTheSharedStore() {
    FakeClient a = node1.connect();
    FakeClient b = connectToNode2(null);
    assertEquals(false, a.name().equals(b.name()), a.name() + " vs " + b.name());
  }

  @Test
  void aSessionsNameIsTakenOnTheOtherNodeAfterItsOwnerWentAway() {
    FakeClient a = node1.connect("sid-a");
    node1.nick(a, "Alice");
    node1.disconnect(a);
    FakeClient b = connectToNode2("sid-b");
    assertEquals("name_taken", outcome().apply(nickOnNode2(b, "alice")));
  }

  @Test
  void aSessionsNameStaysHeldAcrossNodesWhileItsSocketStaysOpenForWeeks() {
    FakeClient a = node1.connect("sid-a");
    node1.nick(a, "Alice");
    node1.clock.advanceMillis(8 * DAY); // still connected
    FakeClient b = connectToNode2("sid-b");
    assertEquals("name_taken", outcome().apply(nickOnNode2(b, "alice")),
        "a name is held while any socket of its session is open");
  }

}
