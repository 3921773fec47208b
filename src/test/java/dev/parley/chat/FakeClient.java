package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** A {@link Client} that records what the hub sends it. */
final class FakeClient implements Client {
  private final String label;
  private final boolean plainText;
  private final List<Event> events = new ArrayList<>();
  private Integer closeCode;
  private final List<String> hellos = new ArrayList<>();

  FakeClient(String label, boolean plainText) {
    this.label = label;
    this.plainText = plainText;
  }

  @Override
  public void send(Event event) {
    if (closeCode == null) {
      events.add(event);
      if (event instanceof Event.Hello hello) {
        hellos.add(hello.name());
      }
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closeCode == null) {
      closeCode = code;
    }
  }

  @Override
  public boolean plainText() {
    return plainText;
  }

  /** Every event received so far, oldest first. */
  List<Event> events() {
    return List.copyOf(events);
  }

  /** The events of one kind received so far, oldest first. */
  <T extends Event> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Forgets what was received, so a test can look at what comes next. */
  void clear() {
    events.clear();
  }

  /** The close code, or {@code null} while open. */
  Integer closeCode() {
    return closeCode;
  }

  /** The name from the hello (kept across {@link #clear()}). */
  String name() {
    assertEquals(1, hellos.size(), label + " expected exactly one hello: " + hellos);
    return hellos.get(0);
  }

  /** The one reply carrying {@code ref}, which must be of {@code type}. */
  <T extends Event> T reply(String ref, Class<T> type) {
    List<Event> replies = events.stream().filter(e -> ref.equals(refOf(e))).toList();
    assertEquals(1, replies.size(), label + " expected exactly one reply to " + ref + ": " + events);
    return assertInstanceOf(type, replies.get(0), label + " reply to " + ref);
  }

  /** The error that answered {@code ref}. */
  ErrorCode error(String ref) {
    return reply(ref, Event.Failure.class).code();
  }

  /** Whether anything at all answered {@code ref}. */
  boolean answered(String ref) {
    return events.stream().anyMatch(e -> ref.equals(refOf(e)));
  }

  /** The ids of the live messages of a room, in arrival order. */
  List<Long> posted(String room) {
    return all(Event.Posted.class).stream().map(Event.Posted::message).filter(m -> m.room().equals(room))
        .map(Message::id).toList();
  }

  /** The presence events received, as "join name" / "leave name". */
  List<String> presence(String room) {
    return all(Event.Presence.class).stream().filter(p -> p.room().equals(room))
        .map(p -> (p.joined() ? "join " : "leave ") + p.name()).toList();
  }

  /** Asserts that nothing arrived (since the last {@link #clear()}). */
  void assertNothing() {
    assertTrue(events.isEmpty(), label + " expected nothing: " + events);
  }

  static String refOf(Event e) {
    if (e instanceof Event.Joined x) {
      return x.ref();
    } else if (e instanceof Event.Left x) {
      return x.ref();
    } else if (e instanceof Event.Ack x) {
      return x.ref();
    } else if (e instanceof Event.History x) {
      return x.ref();
    } else if (e instanceof Event.Members x) {
      return x.ref();
    } else if (e instanceof Event.NickChanged x) {
      return x.ref();
    } else if (e instanceof Event.Failure x) {
      return x.ref();
    }
    return null;
  }

  @Override
  public String toString() {
    return label;
  }
}
