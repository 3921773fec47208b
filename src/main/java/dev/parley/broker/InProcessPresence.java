package dev.parley.broker;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Presence for a single node: every member is local, and a node cannot die without its members. */
public final class InProcessPresence implements Presence {
  private final Map<String, Map<String, String>> rooms = new HashMap<>();

  @Override
  public synchronized CompletionStage<Boolean> enter(String room, String user, String name) {
    boolean fresh = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>()).put(user, name) == null;
    return CompletableFuture.completedFuture(fresh);
  }

  @Override
  public synchronized CompletionStage<Boolean> exit(String room, String user) {
    Map<String, String> members = rooms.get(room);
    boolean left = members != null && members.remove(user) != null;
    if (members != null && members.isEmpty()) {
      rooms.remove(room);
    }
    return CompletableFuture.completedFuture(left);
  }

  @Override
  public synchronized CompletionStage<Void> rename(String user, String name) {
    rooms.values().forEach(members -> members.replace(user, name));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Map<String, String>> members(String room) {
    return CompletableFuture.completedFuture(Map.copyOf(rooms.getOrDefault(room, Map.of())));
  }

  @Override
  public void onExpired(Consumer<Signal> listener) {}

  @Override
  public void close() {}
}
