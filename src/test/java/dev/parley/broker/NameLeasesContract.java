package dev.parley.broker;

import static dev.parley.broker.Waits.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link NameLeases} adapter promises, run by each adapter's test class. The cases
 * with several nodes are in {@link ClusteredNameLeasesContract}.
 * Names carry a prefix unique to the test.
 */
@Timeout(60)
abstract class NameLeasesContract {
  protected NameLeases leases;
  private final List<NameLeases> nodes = new ArrayList<>();
  private String prefix;

  /** A new node of the cluster every node of this test is on. */
  protected abstract NameLeases newNode() throws Exception;


  @BeforeEach
  void openNode() throws Exception {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    leases = node();
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(NameLeases::close);
  }

  /** A new node, closed after the test. */
  protected NameLeases node() throws Exception {
    return closedAfterTheTest(newNode());
  }

  protected <T extends NameLeases> T closedAfterTheTest(T node) {
    nodes.add(node);
    return node;
  }

  /** A name key no other test uses. */
  protected String name(String name) {
    return prefix + name;
  }

  @Test
  void aFreeNameIsAcquiredAndItsHolderMayAcquireItAgain() throws Exception {
    assertTrue(await(leases.acquire(name("alice"), "h1")), "a free name");
    assertTrue(await(leases.acquire(name("alice"), "h1")), "the holder again");
  }

  @Test
  void aHeldNameIsRefusedToAnotherHolder() throws Exception {
    await(leases.acquire(name("alice"), "h1"));

    assertFalse(await(leases.acquire(name("alice"), "h2")));
    assertTrue(await(leases.acquire(name("alice"), "h1")), "still the first holder's");
  }

  @Test
  void aReleasedNameCanBeTakenByAnotherHolder() throws Exception {
    await(leases.acquire(name("alice"), "h1"));

    await(leases.release(name("alice"), "h1"));

    assertTrue(await(leases.acquire(name("alice"), "h2")));
    assertFalse(await(leases.acquire(name("alice"), "h1")), "now the second holder's");
  }

  @Test
  void aReleaseByAnotherHolderDoesNothing() throws Exception {
    await(leases.acquire(name("alice"), "h1"));

    await(leases.release(name("alice"), "h2"));

    assertFalse(await(leases.acquire(name("alice"), "h2")), "still held");
    assertTrue(await(leases.acquire(name("alice"), "h1")));
  }

  @Test
  void releasingANameNotHeldDoesNothing() throws Exception {
    await(leases.release(name("nobody"), "h1"));

    assertTrue(await(leases.acquire(name("nobody"), "h2")));
  }

  @Test
  void namesAreLeasedIndependently() throws Exception {
    assertTrue(await(leases.acquire(name("alice"), "h1")));
    assertTrue(await(leases.acquire(name("bob"), "h2")));
    assertTrue(await(leases.acquire(name("carol"), "h1")), "one holder may hold several names");

    await(leases.release(name("alice"), "h1"));

    assertFalse(await(leases.acquire(name("carol"), "h2")), "releasing one name keeps the others");
  }

}
