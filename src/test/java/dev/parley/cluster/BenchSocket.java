package dev.parley.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A lean load-generating WebSocket client for {@link ClusterBench}: one {@code /ws} socket
 * joined to one room. It parses only what it needs from the frames it receives (the id and
 * the send time carried in a message's text, the ref of an ack) and records, per socket, the
 * latency of every delivery and ack from the message's <em>intended</em> send time, and
 * whether its ids arrive consecutively (no gap, no duplicate).
 */
final class BenchSocket {
  /** All times are nanoseconds since this origin, so that they fit in a text as a positive number. */
  static final long ORIGIN = System.nanoTime();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long HIGHEST_MICROS = 120_000_000L;
  private static final String FILLER = " a chat message of about the usual length, with a few words in it";

  final String label;
  final String room;
  final int node;
  final AtomicLong sent = new AtomicLong();
  private final ClientWebSocket socket;
  private final CompletableFuture<Long> joined = new CompletableFuture<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final String sendPrefix;

  // Guarded by this: written on the socket's event loop, read between steps by the bench.
  private Histogram deliveries = histogram();
  private Histogram acks = histogram();
  private long received;
  private long ackCount;
  private long errors;
  private long gaps;
  private long duplicates;
  private long lastId = -1;
  private String firstError;

  private BenchSocket(ClientWebSocket socket, String label, String room, int node) {
    this.socket = socket;
    this.label = label;
    this.room = room;
    this.node = node;
    this.sendPrefix = "{\"type\":\"send\",\"room\":\"" + room + "\",\"ref\":\"";
  }

  private static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  /** Connects to {@code /ws} on a node and joins the room; returns once {@code joined} has arrived. */
  static BenchSocket open(WebSocketClient client, int port, String label, String room, int node) throws Exception {
    ClientWebSocket ws = client.webSocket();
    BenchSocket socket = new BenchSocket(ws, label, room, node);
    ws.textMessageHandler(socket::onText); // before connecting: hello can follow the upgrade at once
    ws.closeHandler(v -> socket.closed.complete(ws.closeStatusCode()));
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    ws.writeTextMessage("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"join\"}");
    socket.joined.get(20, TimeUnit.SECONDS);
    return socket;
  }

  /** Sends one message whose intended send time (ns since {@link #ORIGIN}) is its ref and leads its text. */
  void send(long intended) {
    String t = Long.toString(intended);
    socket.writeTextMessage(sendPrefix + t + "\",\"text\":\"" + t + FILLER + "\"}");
    sent.incrementAndGet();
  }

  private void onText(String frame) {
    long now = System.nanoTime() - ORIGIN;
    if (frame.startsWith("{\"type\":\"message\"")) {
      long id = longAfter(frame, "\"id\":");
      long intended = longAfter(frame, "\"text\":\"");
      synchronized (this) {
        if (lastId >= 0 && id <= lastId) {
          duplicates++;
          return;
        }
        if (lastId >= 0 && id > lastId + 1) {
          gaps += id - lastId - 1;
        }
        lastId = id;
        received++;
        deliveries.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intended) / 1000)));
      }
    } else if (frame.startsWith("{\"type\":\"ack\"")) {
      long intended = longAfter(frame, "\"ref\":\"");
      synchronized (this) {
        ackCount++;
        acks.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intended) / 1000)));
      }
    } else if (frame.startsWith("{\"type\":\"error\"")) {
      synchronized (this) {
        errors++;
        if (firstError == null) {
          firstError = frame;
        }
      }
    } else if (frame.startsWith("{\"type\":\"joined\"")) {
      try {
        JsonNode node = MAPPER.readTree(frame);
        synchronized (this) {
          lastId = node.get("lastId").asLong();
        }
        joined.complete(lastId());
      } catch (Exception e) {
        joined.completeExceptionally(e);
      }
    }
    // hello, presence: not counted
  }

  private static long longAfter(String s, String key) {
    int i = s.indexOf(key);
    if (i < 0) {
      throw new IllegalStateException("no " + key + " in " + s);
    }
    i += key.length();
    long v = 0;
    for (char c; i < s.length() && (c = s.charAt(i)) >= '0' && c <= '9'; i++) {
      v = v * 10 + (c - '0');
    }
    return v;
  }

  synchronized long lastId() {
    return lastId;
  }

  /** What this socket saw since the last reset. */
  record Counts(long received, long acks, long errors, long gaps, long duplicates, String firstError,
      Histogram deliveries, Histogram ackLatency) {}

  synchronized Counts counts() {
    return new Counts(received, ackCount, errors, gaps, duplicates, firstError, deliveries.copy(), acks.copy());
  }

  synchronized long received() {
    return received;
  }

  synchronized long replies() {
    return ackCount + errors;
  }

  synchronized long acked() {
    return ackCount;
  }

  /** Starts a new step: counters and histograms to zero (the last id seen is kept). */
  synchronized void reset() {
    deliveries = histogram();
    acks = histogram();
    received = 0;
    ackCount = 0;
    errors = 0;
    gaps = 0;
    duplicates = 0;
    firstError = null;
    sent.set(0);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  Short closeStatus() {
    return closed.getNow(null);
  }

  void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
