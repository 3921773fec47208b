package dev.parley.store;

/** The reference adapter against the contract. */
class InMemoryStoreTest extends MessageStoreContract {
  @Override
  protected MessageStore newStore() {
    return new InMemoryStore();
  }
}
