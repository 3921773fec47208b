package dev.parley.app;

import dev.parley.broker.Broker;
import dev.parley.broker.InProcessBroker;
import dev.parley.store.InMemoryStore;
import dev.parley.store.MessageStore;

/** Chooses the store and broker adapters the settings ask for. */
final class Adapters {
  private Adapters() {}

  static MessageStore store(Settings settings) {
    if (settings.db() != null) {
      throw new IllegalArgumentException("--db (PostgreSQL) is not supported yet");
    }
    return new InMemoryStore();
  }

  static Broker broker(Settings settings) {
    if (settings.redis() != null) {
      throw new IllegalArgumentException("--redis (a cluster on Redis) is not supported yet");
    }
    return new InProcessBroker();
  }
}
