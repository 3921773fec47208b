package dev.parley.broker;

/** The single-node adapter against the contract. */
class InProcessBrokerTest extends BrokerContract {
  @Override
  protected Broker newBroker() {
    return new InProcessBroker();
  }
}
