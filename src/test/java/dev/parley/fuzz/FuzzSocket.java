package dev.parley.fuzz;

import dev.parley.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A WebSocket for the fuzz run that keeps nothing it receives: each text frame goes to a
 * handler as it arrives (so a client that gets millions of frames does not swell the heap the
 * test measures). It can send what a careful client library will not: fragmented messages,
 * text that is not UTF-8, messages over the server's size limit.
 */
public final class FuzzSocket implements AutoCloseable {
  private static final WebSocketClient CLIENT = WsClient.vertx().createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024).setMaxConnections(100_000));

  private final ClientWebSocket socket;
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final AtomicLong received = new AtomicLong();
  private volatile Throwable failure;

  private FuzzSocket(Consumer<String> onText) {
    socket = CLIENT.webSocket();
    socket.textMessageHandler(text -> {
      received.incrementAndGet();
      onText.accept(text);
    });
    socket.binaryMessageHandler(b -> received.incrementAndGet());
    socket.exceptionHandler(e -> failure = e);
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  /** Opens {@code path} on 127.0.0.1:{@code port}; text frames go to {@code onText} on a Vert.x thread. */
  public static FuzzSocket open(int port, String path, Consumer<String> onText) {
    FuzzSocket s = new FuzzSocket(onText);
    try {
      s.socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
          .toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not open " + path, e);
    }
    return s;
  }

  public void sendText(String text) {
    socket.writeTextMessage(text);
  }

  /** Sends one generated frame as its kind says. */
  public void send(FrameSource.Frame frame, FrameSource source) {
    switch (frame.kind()) {
      case TEXT -> socket.writeTextMessage(frame.text());
      case FRAGMENTED -> {
        List<String> parts = source.fragments(frame.text());
        for (int i = 0; i < parts.size(); i++) {
          boolean last = i == parts.size() - 1;
          socket.writeFrame(i == 0 ? WebSocketFrame.textFrame(parts.get(i), last)
              : WebSocketFrame.continuationFrame(Buffer.buffer(parts.get(i).getBytes(StandardCharsets.UTF_8)), last));
        }
      }
      case BINARY -> socket.writeBinaryMessage(Buffer.buffer(frame.bytes()));
      case INVALID_UTF8 -> {
        // A text frame's bytes cannot be set directly: an empty first fragment, then the bytes.
        socket.writeFrame(WebSocketFrame.textFrame("", false));
        socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(frame.bytes()), true));
      }
      case TOO_BIG -> socket.writeFrame(WebSocketFrame.textFrame(new String(frame.bytes(),
          StandardCharsets.US_ASCII), true));
      default -> throw new IllegalArgumentException(frame.kind().toString());
    }
  }

  /** Completes with the close code (null when the connection ended without one) once closed. */
  public CompletableFuture<Short> closed() {
    return closed;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Frames received so far. */
  public long received() {
    return received.get();
  }

  /** The last transport error reported, if any. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
