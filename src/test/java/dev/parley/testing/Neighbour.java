package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A well-behaved member of a room that keeps talking while something else happens on the
 * server: each round it sends a message, then reads its frames until its own message comes
 * back, noting how long that took, every message id it was given and every presence event.
 * Tests use it to show that one bad peer does not hold the others back.
 */
public final class Neighbour {
  private final WsClient client;
  private final String room;
  private final String name;
  private final long firstId;
  private final List<Long> ids = new ArrayList<>();
  private final List<Long> delaysMillis = new ArrayList<>();
  private final List<String> presence = new ArrayList<>();
  private int rounds;

  private Neighbour(WsClient client, String room, String name, long lastId) {
    this.client = client;
    this.room = room;
    this.name = name;
    this.firstId = lastId + 1;
  }

  /** Reads the hello of a fresh {@code /ws} client, takes {@code name} and joins {@code room}. */
  public static Neighbour join(WsClient client, String room, String name) {
    WsSteps.hello(client);
    client.await("nick", client.send("type", "nick", "name", name));
    long lastId = client.await("joined", client.send("type", "join", "room", room)).path("lastId").asLong();
    return new Neighbour(client, room, name, lastId);
  }

  /** One round: sends a message of about {@code size} characters and waits until it comes back. */
  public void talk(int size) {
    String text = name + " " + (++rounds) + " " + "n".repeat(Math.max(0, size));
    long sent = System.nanoTime();
    String ref = client.send("type", "send", "room", room, "text", text);
    boolean acked = false;
    while (true) {
      JsonNode frame = client.next();
      String type = frame.path("type").asText();
      if ("ack".equals(type) && ref.equals(frame.path("ref").asText())) {
        acked = true;
      } else if ("error".equals(type)) {
        throw new AssertionError(name + " was refused: " + frame);
      } else if ("presence".equals(type)) {
        presence.add(frame.path("name").asText() + " " + frame.path("event").asText());
      } else if ("message".equals(type)) {
        ids.add(frame.path("id").asLong());
        if (text.equals(frame.path("text").asText())) {
          if (!acked) {
            throw new AssertionError(name + " got its message before its ack: " + frame);
          }
          delaysMillis.add(Duration.ofNanos(System.nanoTime() - sent).toMillis());
          return;
        }
      }
    }
  }

  /** Talks, round after round, until {@code done} holds; fails after {@code wait}. */
  public void talkUntil(Duration wait, int size, BooleanSupplier done, Supplier<String> failure) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + wait + " (" + rounds + " messages sent meanwhile): " + failure.get());
      }
      talk(size);
    }
  }

  /** Talks {@code count} more rounds. */
  public void talk(int count, int size) {
    for (int i = 0; i < count; i++) {
      talk(size);
    }
  }

  public int rounds() {
    return rounds;
  }

  /** The longest a message of this neighbour took to come back to it, in milliseconds. */
  public long slowestMillis() {
    return delaysMillis.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Every message id this neighbour was given since it joined, in the order given. */
  public List<Long> ids() {
    return List.copyOf(ids);
  }

  /** The ids it should have been given: every one from its join to the last it saw, with no gap. */
  public List<Long> expectedIds() {
    List<Long> expected = new ArrayList<>();
    long last = ids.isEmpty() ? firstId - 1 : ids.get(ids.size() - 1);
    for (long id = firstId; id <= last; id++) {
      expected.add(id);
    }
    return expected;
  }

  /** The presence events seen so far, as "name event" (e.g. "user3 leave"). */
  public List<String> presence() {
    return List.copyOf(presence);
  }

  /** The members of the room, as the server now lists them to this neighbour. */
  public List<String> members() {
    List<String> members = new ArrayList<>();
    String ref = client.send("type", "who", "room", room);
    for (JsonNode frame : WsSteps.until(client, "members", ref)) {
      if ("presence".equals(frame.path("type").asText())) {
        presence.add(frame.path("name").asText() + " " + frame.path("event").asText());
      } else if ("message".equals(frame.path("type").asText())) {
        ids.add(frame.path("id").asLong());
      } else if ("members".equals(frame.path("type").asText())) {
        frame.path("members").forEach(m -> members.add(m.asText()));
      }
    }
    return members;
  }

  public WsClient client() {
    return client;
  }
}
