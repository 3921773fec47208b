package dev.parley.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import dev.parley.web.WebConfig;
import dev.parley.web.WebLimits;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fuzz run's heap check led to: the hub remembers the outcome of the last 100,000
 * sends that carried a {@code cid} (so that a retry gets the first ack), and each outcome holds
 * the whole message, text included: up to 4000 code points, 16 KB. Clients that reconnect
 * and send long texts with a cid make the server keep them after they have left: 100,000 such
 * sends hold about 1.6 GB. One address can make 1,000 accepted sends a second (a fresh
 * connection gets a full send bucket of 20, at 50 handshakes a second).
 */
@Timeout(60)
class FuzzRetainedSendsTest {
  private static final int CONNECTIONS = 100;
  private static final int SENDS = 20;

  @TempDir
  Path data;

  private static WebConfig config(WebConfig c) {
    WebLimits d = WebLimits.defaults();
    return TestServer.withWebLimits(c, new WebLimits(d.maxFrame(), d.maxBacklog(), d.badFrames(),
        d.badFrameWindowNanos(), d.maxConnsPerIp(), 100_000, 100_000, d.pingMillis(), d.deadMillis()));
  }

  @Test
  void longTextsSentWithACidAreNotKeptInMemoryAfterTheirSendersHaveLeft() throws Exception {
    String text = "\ud83d\ude00".repeat(4000);
    try (TestServer server = TestServer.start(FuzzRetainedSendsTest::config, data)) {
      long before = heapAfterGc();
      int acked = 0;
      for (int c = 0; c < CONNECTIONS; c++) {
        AtomicInteger acks = new AtomicInteger();
        CompletableFuture<Void> joined = new CompletableFuture<>();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        try (FuzzSocket socket = FuzzSocket.open(server.port(), "/ws", frame -> {
          if (frame.startsWith("{\"type\":\"joined\"")) {
            joined.complete(null);
          } else if (frame.startsWith("{\"type\":\"ack\"") && acks.incrementAndGet() == SENDS) {
            answered.complete(null);
          } else if (frame.startsWith("{\"type\":\"error\"")) {
            answered.completeExceptionally(new AssertionError(frame));
          }
        })) {
          socket.sendText("{\"type\":\"join\",\"room\":\"long\"}");
          joined.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
          for (int i = 0; i < SENDS; i++) {
            socket.sendText("{\"type\":\"send\",\"room\":\"long\",\"cid\":\"c" + i + "\",\"text\":\"" + text + "\"}");
          }
          answered.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
          acked += acks.get();
        }
      }
      Probe.awaitConnections(server, 0);
      long after = heapAfterGc();
      long grown = after - before;
      System.out.printf("[fuzz] %d sends with a cid: heap after GC %,d KiB before, %,d KiB after%n", acked,
          before / 1024, after / 1024);
      assertEquals(CONNECTIONS * SENDS, acked);
      assertTrue(grown < 8L * 1024 * 1024, "after " + acked + " sends of 4000 code points with a cid, from clients "
          + "that have all left, the heap after GC grew by " + grown / 1024 + " KiB");
    }
  }

  /** The heap in use right after System.gc(), the smallest of three tries. */
  private static long heapAfterGc() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}
