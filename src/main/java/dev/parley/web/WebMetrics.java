package dev.parley.web;

import dev.parley.chat.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The transport's meters, exported on {@code /metrics}. */
final class WebMetrics {
  final Counter framesIn;
  final Counter messagesIn;
  final Counter deliveries;
  final Counter slowConsumerCloses;
  final Counter upgradesRefused;
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

  WebMetrics(MeterRegistry registry, Supplier<Number> connections) {
    framesIn = Counter.builder("parley.frames.in").description("Text frames received").register(registry);
    messagesIn = Counter.builder("parley.messages.in").description("Messages accepted and stored").register(registry);
    deliveries = Counter.builder("parley.deliveries.out").description("Messages written to sockets").register(registry);
    slowConsumerCloses = Counter.builder("parley.slow.consumer.closes")
        .description("Connections closed with 1013 because they did not read").register(registry);
    upgradesRefused = Counter.builder("parley.upgrades.refused")
        .description("WebSocket upgrades refused (origin, limits, shutdown)").register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      errors.put(code, Counter.builder("parley.errors").tag("code", code.wire())
          .description("Error replies sent, by code").register(registry));
    }
    Gauge.builder("parley.connections", connections).description("Open WebSocket connections").register(registry);
  }

  void error(ErrorCode code) {
    errors.get(code).increment();
  }
}
