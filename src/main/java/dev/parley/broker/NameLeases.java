package dev.parley.broker;

import java.util.concurrent.CompletionStage;

/**
 * Names held by users who are online somewhere in the cluster, so that no two holders share
 * a name across nodes. (Offline sessions keep holding their names through the store.)
 *
 * <p>A lease lives while its node does: the adapter renews the leases of this node and lets
 * those of a dead node lapse within 30 seconds. Methods never block; stages complete on the
 * adapter's thread.
 */
public interface NameLeases extends AutoCloseable {

  /**
   * Takes the name (by its case-insensitive key) for {@code holder}. Completes with
   * {@code true} when the holder has it now (it was free, or already the holder's).
   */
  CompletionStage<Boolean> acquire(String nameKey, String holder);

  /** Gives the name back, if {@code holder} still has it. */
  CompletionStage<Void> release(String nameKey, String holder);

  @Override
  void close();
}
