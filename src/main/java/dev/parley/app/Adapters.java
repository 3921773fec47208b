package dev.parley.app;

import dev.parley.broker.Broker;
import dev.parley.broker.InProcessBroker;
import dev.parley.broker.InProcessNameLeases;
import dev.parley.broker.InProcessPresence;
import dev.parley.broker.NameLeases;
import dev.parley.broker.Presence;
import dev.parley.broker.RedisNameLeases;
import dev.parley.broker.RedisPresence;
import dev.parley.broker.RedisBroker;
import dev.parley.store.InMemoryStore;
import dev.parley.store.MessageStore;
import dev.parley.store.PostgresStore;
import dev.parley.store.SqliteStore;
import io.vertx.core.Vertx;

/** Chooses the store and broker adapters the settings ask for. */
final class Adapters {
  private Adapters() {}

  /**
   * The store: PostgreSQL with {@code --db}, memory with {@code --in-memory}, else the embedded
   * SQLite file in {@code --data}. Throws {@link dev.parley.store.StoreStartupException} with
   * words for the operator when the store cannot be opened.
   */
  static MessageStore store(Settings settings) {
    if (settings.db() != null) {
      return new PostgresStore(settings.db());
    }
    if (settings.inMemory()) {
      return new InMemoryStore();
    }
    return new SqliteStore(settings.data());
  }

  /** Presence: in Redis with {@code --redis}, else in process (a single node). */
  static Presence presence(Settings settings, Vertx vertx) {
    return settings.redis() != null ? new RedisPresence(vertx, settings.redis()) : new InProcessPresence();
  }

  /** Name leases: in Redis with {@code --redis}, else in process (a single node). */
  static NameLeases leases(Settings settings, Vertx vertx) {
    return settings.redis() != null ? new RedisNameLeases(vertx, settings.redis()) : new InProcessNameLeases();
  }

  /** The broker: Redis with {@code --redis}, else in-process (a single node). */
  static Broker broker(Settings settings, Vertx vertx) {
    if (settings.redis() != null) {
      return new RedisBroker(vertx, settings.redis());
    }
    return new InProcessBroker();
  }
}
