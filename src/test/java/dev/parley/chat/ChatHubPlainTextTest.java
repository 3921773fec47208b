package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain-text (/chat) connections as the hub sees them: members of general, told only of messages. */
@Timeout(60)
class ChatHubPlainTextTest {

  @Test
  void aPlainTextConnectionIsAMemberOfGeneralAtOnce() {
    HubFixture f = new HubFixture();
    FakeClient ws = f.joined("general");
    FakeClient plain = f.connectPlain();
    assertEquals(List.of("join " + plain.name()), ws.presence("general"));
    assertTrue(f.who(ws, "general").contains(plain.name()));
    f.disconnect(plain);
    assertEquals(List.of("join " + plain.name(), "leave " + plain.name()), ws.presence("general"));
  }

  @Test
  void aPlainTextConnectionHearsMessagesButNotPresenceTypingOrOthersRenames() {
    HubFixture f = new HubFixture(HubFixture.UNLIMITED);
    FakeClient plain = f.connectPlain();
    FakeClient ws = f.joined("general");
    f.handle(ws, new Command.Typing(f.ref(), "general"));
    f.nick(ws, "Alice");
    f.send(ws, "general", "hello");
    List<Class<?>> kinds = plain.events().stream().<Class<?>>map(Object::getClass).distinct().toList();
    assertTrue(plain.all(Event.Presence.class).isEmpty(), plain.events().toString());
    assertTrue(plain.all(Event.Typing.class).isEmpty(), plain.events().toString());
    assertTrue(plain.all(Event.NickChanged.class).isEmpty(), plain.events().toString());
    assertEquals(List.of(1L), plain.posted("general"), kinds.toString());
  }

  @Test
  void aPlainTextSendReachesWsSocketsInGeneral() {
    HubFixture f = new HubFixture();
    FakeClient ws = f.joined("general");
    FakeClient plain = f.connectPlain();
    Event.Ack ack = f.send(plain, "general", "from the terminal");
    assertEquals(List.of(ack.id()), ws.posted("general"));
    assertEquals(plain.name(), ws.all(Event.Posted.class).get(0).message().from());
  }

  @Test
  void aPlainTextConnectionsJoinIsNotGivenTheMemberListItNeverShows() {
    HubFixture f = new HubFixture();
    FakeClient ws = f.joined("general");
    FakeClient plain = f.connectPlain();
    List<Event.Joined> joins = plain.all(Event.Joined.class);
    assertEquals(1, joins.size(), plain.events().toString());
    assertTrue(joins.get(0).members().isEmpty(), "a /chat socket's join listed " + joins.get(0).members());
    assertTrue(f.who(ws, "general").contains(plain.name()), "yet it is a member");
  }
}
