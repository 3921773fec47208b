package dev.parley.broker;

import static dev.parley.broker.Waits.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What an adapter whose nodes share one view promises beyond {@link NameLeasesContract}: the cases with
 * several nodes of one cluster.
 */
abstract class ClusteredNameLeasesContract extends NameLeasesContract {

  @Test
  void aNameHeldThroughOneNodeIsRefusedThroughAnotherUntilReleased() throws Exception {
    NameLeases other = node();
    assertTrue(await(leases.acquire(name("alice"), "h1")));

    assertFalse(await(other.acquire(name("alice"), "h2")));
    await(other.release(name("alice"), "h2"));
    assertFalse(await(other.acquire(name("alice"), "h2")), "a non-holder's release on another node does nothing");
    await(leases.release(name("alice"), "h1"));
    assertTrue(await(other.acquire(name("alice"), "h2")));
  }

  @Test
  void aHolderMovingToAnotherNodeKeepsItsName() throws Exception {
    NameLeases other = node();
    assertTrue(await(leases.acquire(name("alice"), "h1")));

    assertTrue(await(other.acquire(name("alice"), "h1")), "the same holder, through another node");
    assertFalse(await(other.acquire(name("alice"), "h2")));
  }

  @Test
  void aReleaseThroughOneNodeKeepsTheNameWhileTheHolderIsStillOnAnother() throws Exception {
    NameLeases second = node();
    NameLeases third = node();
    assertTrue(await(leases.acquire(name("alice"), "h1")));
    assertTrue(await(second.acquire(name("alice"), "h1")));

    await(leases.release(name("alice"), "h1"));
    assertFalse(await(third.acquire(name("alice"), "h2")), "the holder is still online through the second node");
    await(second.release(name("alice"), "h1"));
    assertTrue(await(third.acquire(name("alice"), "h2")), "the holder's last node let go");
  }
}
