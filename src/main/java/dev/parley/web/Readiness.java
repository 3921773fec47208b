package dev.parley.web;

import dev.parley.broker.Broker;
import dev.parley.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Whether this node can serve: its store and broker answer, and it is not shutting down. */
final class Readiness {
  private static final long TIMEOUT_MILLIS = 2000;
  private final Vertx vertx;
  private final MessageStore store;
  private final Broker broker;
  private final BooleanSupplier stopping;

  Readiness(Vertx vertx, MessageStore store, Broker broker, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.store = store;
    this.broker = broker;
    this.stopping = stopping;
  }

  /** The parts that are failing, by name; empty when the node is ready. */
  Future<List<String>> failing() {
    if (stopping.getAsBoolean()) {
      return Future.succeededFuture(List.of("shutting down"));
    }
    Future<Boolean> storeUp = answers(store.ping());
    Future<Boolean> brokerUp = answers(broker.ping());
    return Future.join(storeUp, brokerUp).transform(all -> {
      List<String> failing = new ArrayList<>();
      if (!storeUp.result()) {
        failing.add("store");
      }
      if (!brokerUp.result()) {
        failing.add("broker");
      }
      return Future.succeededFuture(failing);
    });
  }

  private Future<Boolean> answers(CompletionStage<Void> ping) {
    return Future.fromCompletionStage(ping, vertx.getOrCreateContext())
        .timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .transform(result -> Future.succeededFuture(result.succeeded()));
  }
}
