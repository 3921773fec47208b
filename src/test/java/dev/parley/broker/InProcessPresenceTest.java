package dev.parley.broker;

/** The single-node adapter against the contract. */
class InProcessPresenceTest extends PresenceContract {
  @Override
  protected Presence newNode() {
    return new InProcessPresence();
  }
}
