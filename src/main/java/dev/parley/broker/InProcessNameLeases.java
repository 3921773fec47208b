package dev.parley.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Name leases for a single node. */
public final class InProcessNameLeases implements NameLeases {
  private final Map<String, String> holders = new HashMap<>();

  @Override
  public synchronized CompletionStage<Boolean> acquire(String nameKey, String holder) {
    return CompletableFuture.completedFuture(holders.putIfAbsent(nameKey, holder) == null
        || holders.get(nameKey).equals(holder));
  }

  @Override
  public synchronized CompletionStage<Void> release(String nameKey, String holder) {
    holders.remove(nameKey, holder);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
