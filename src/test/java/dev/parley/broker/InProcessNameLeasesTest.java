package dev.parley.broker;

/** The single-node adapter against the contract. */
class InProcessNameLeasesTest extends NameLeasesContract {
  @Override
  protected NameLeases newNode() {
    return new InProcessNameLeases();
  }
}
