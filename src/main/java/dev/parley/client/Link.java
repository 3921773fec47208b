package dev.parley.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket to the server, reopened with {@link Backoff} when it drops (unless made without one).
 * Every callback of the {@link Listener} runs on the link's event loop, one at a time; so does
 * everything a listener calls back. {@link #send}, {@link #run} and {@link #close} may be called from
 * any thread.
 */
final class Link {
  /** What the link reports, always on its event loop. */
  interface Listener {
    /** A socket is open (its first frame, {@code hello}, follows). */
    void up();

    void frame(String text);

    /** The socket closed or could not open; {@code retryIn} is null when the link gives up. */
    void down(String reason, Duration retryIn);
  }

  /** Server frames up to 1 MiB must be accepted; leave room above that. */
  private static final int MAX_MESSAGE = 4 * 1024 * 1024;
  /** The server pings every 30 s: a minute and a half of silence means the connection is dead. */
  private static final int READ_IDLE_SECONDS = 90;

  private final Vertx vertx;
  private final Context context;
  /** Held for the link's life: Vert.x closes a client that is no longer reachable, sockets and all. */
  private final WebSocketClient client;
  private final ServerAddress address;
  private final Backoff backoff;
  private final Listener listener;
  private volatile Thread loop;
  private WebSocket socket;
  private boolean closing;
  private long timer = -1;

  Link(Vertx vertx, ServerAddress address, Backoff backoff, Listener listener) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE)
        .setConnectTimeout(10_000)
        .setReadIdleTimeout(READ_IDLE_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS));
    this.address = address;
    this.backoff = backoff;
    this.listener = listener;
  }

  ServerAddress address() {
    return address;
  }

  /** Opens the first socket. */
  void start() {
    run(this::connect);
  }

  /** Runs a task on the link's event loop (at once when already there). */
  void run(Runnable task) {
    if (Thread.currentThread() == loop) {
      task.run();
    } else {
      context.runOnContext(v -> {
        loop = Thread.currentThread();
        task.run();
      });
    }
  }

  /** Runs a task on the event loop after a delay. */
  void later(Duration delay, Runnable task) {
    run(() -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run()));
  }

  /** Whether a socket is open; on the event loop. */
  boolean isUp() {
    return socket != null;
  }

  /** Sends a text frame if a socket is open (dropped otherwise: callers check {@link #isUp}). */
  void send(String frame) {
    run(() -> {
      if (socket != null) {
        socket.writeTextMessage(frame);
      }
    });
  }

  /** Closes the socket (1000) and stops reconnecting; completes once it is closed. */
  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    run(() -> {
      closing = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      WebSocket open = socket;
      socket = null;
      Future<Void> done = open == null ? Future.succeededFuture() : open.close((short) 1000, "bye");
      done.eventually(client::close).onComplete(ar -> closed.tryComplete());
    });
    return closed.future();
  }

  private void connect() {
    timer = -1;
    if (closing) {
      return;
    }
    // Handlers first, then connect: the server's first frame (hello) may come right after the upgrade.
    ClientWebSocket ws = client.webSocket();
    ws.textMessageHandler(text -> {
      opened(ws);
      if (socket == ws) {
        listener.frame(text);
      }
    });
    ws.closeHandler(v -> closed(ws));
    ws.exceptionHandler(e -> { }); // a close follows
    ws.connect(address.options()).onComplete(ar -> {
      if (ar.succeeded()) {
        opened(ws);
      } else {
        failed(ar.cause());
      }
    });
  }

  private void opened(WebSocket ws) {
    if (socket == ws || closing || ws.isClosed()) {
      return;
    }
    socket = ws;
    if (backoff != null) {
      backoff.reset();
    }
    listener.up();
  }

  private void closed(WebSocket ws) {
    if (socket != ws) {
      return;
    }
    socket = null;
    if (!closing) {
      retry(describe(ws.closeStatusCode(), ws.closeReason()), Duration.ZERO);
    }
  }

  private void failed(Throwable cause) {
    if (closing) {
      return;
    }
    if (cause instanceof UpgradeRejectedException rejected) {
      int status = rejected.getStatus();
      String reason = "the server refused the connection (HTTP " + status + ")";
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        listener.down(reason, null); // a wrong URL or a forbidden origin: retrying will not help
        return;
      }
      retry(reason, retryAfter(rejected));
    } else {
      String words = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      retry("could not connect: " + words, Duration.ZERO);
    }
  }

  private void retry(String reason, Duration atLeast) {
    if (backoff == null) {
      listener.down(reason, null);
      return;
    }
    Duration delay = backoff.next();
    if (delay.compareTo(atLeast) < 0) {
      delay = atLeast;
    }
    listener.down(reason, delay);
    if (!closing) {
      timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
    }
  }

  private static Duration retryAfter(UpgradeRejectedException rejected) {
    String value = rejected.getHeaders() == null ? null : rejected.getHeaders().get("Retry-After");
    try {
      return value == null ? Duration.ZERO : Duration.ofSeconds(Math.min(60, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  static String describe(Short code, String reason) {
    if (code == null) {
      return "the connection was lost";
    }
    String what = switch (code) {
      case 1000 -> "closed by the server";
      case 1001 -> "the server is going away";
      case 1006 -> "the connection was lost";
      case 1008 -> "closed by the server: policy violation";
      case 1009 -> "closed by the server: a frame was too big";
      case 1011 -> "the server could not keep up its delivery promise";
      case 1013 -> "closed by the server: this client was too slow";
      default -> "closed by the server";
    };
    String words = reason == null || reason.isBlank() ? "" : ": " + SafeText.plain(reason);
    return what + " (" + code + words + ")";
  }
}
