package dev.parley.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain HTTP requests to a test server, its Prometheus metrics, and bounded waits for a condition. */
public final class Probe {
  private static final Pattern CONNECTIONS = Pattern.compile("(?m)^parley_connections(?:\\{[^}]*\\})? (\\S+)$");
  private Probe() {}

  /** GET {@code path} with optional header name/value pairs; the body as text. */
  public static HttpResponse<String> get(TestServer server, String path, String... headers) {
    return Http.get(server.http(path), path, headers);
  }

  /** The text of {@code /metrics}. */
  public static String metrics(TestServer server) {
    return get(server, "/metrics").body();
  }

  /**
   * The value of one series in a Prometheus text page, e.g. {@code parley_connections} or
   * {@code parley_errors_total{code="bad_request"}}; empty when the page does not have it.
   */
  public static OptionalDouble value(String page, String series) {
    for (String line : page.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, space).trim().replace(",}", "}");
      if (name.equals(series)) {
        return OptionalDouble.of(Double.parseDouble(line.substring(space + 1).trim()));
      }
    }
    return OptionalDouble.empty();
  }

  /** The value of one series on the server's {@code /metrics} now (NaN when absent). */
  public static double metric(TestServer server, String series) {
    return value(metrics(server), series).orElse(Double.NaN);
  }

  /** Waits until the server counts this many open WebSockets (it notices a close asynchronously). */
  public static void awaitConnections(TestServer server, int expected) {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    String page = "";
    while (System.nanoTime() < deadline) {
      page = metrics(server);
      Matcher m = CONNECTIONS.matcher(page);
      if (m.find() && Double.parseDouble(m.group(1)) == expected) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new AssertionError("the server never counted " + expected + " connections:\n" + page);
  }

  /** Polls {@code condition} until it holds, failing after {@code wait}. */
  public static void until(Duration wait, BooleanSupplier condition, Supplier<String> failure) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + wait + ": " + failure.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  public static void until(BooleanSupplier condition, Supplier<String> failure) {
    until(WsClient.WAIT, condition, failure);
  }
}
