package dev.parley.web;

import dev.parley.chat.ChatHub;
import dev.parley.chat.Client;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.Event;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One WebSocket as the hub sees it: frames in become commands, events out become frames.
 *
 * <p>It guards its neighbours: its outbound backlog is bounded (a socket that stops reading
 * is closed with 1013 instead of slowing or swelling the server) and so is its rate of
 * malformed frames (1008).
 */
final class Connection implements Client {
  private final ServerWebSocket socket;
  private final Protocol protocol;
  private final ChatHub hub;
  private final WebLimits limits;
  private final WebMetrics metrics;
  private final BadFrames badFrames;
  private final MessageAssembler assembler;
  /** Bytes written but not yet handed to the operating system. */
  private long backlog;
  private final Consumer<Connection> released;
  private final Context context;
  private boolean closed;
  private boolean gone;
  private long lastHeard;

  Connection(ServerWebSocket socket, Protocol protocol, ChatHub hub, WebLimits limits, WebMetrics metrics, long now,
      Consumer<Connection> released) {
    this.released = released;
    this.context = Vertx.currentContext();
    this.socket = socket;
    this.protocol = protocol;
    this.hub = hub;
    this.limits = limits;
    this.metrics = metrics;
    this.badFrames = new BadFrames(limits.badFrames(), limits.badFrameWindowNanos());
    this.assembler = new MessageAssembler(limits.maxFrame());
    this.lastHeard = now;
  }

  /** Wires the socket's handlers; called once, on the hub's thread. */
  void start(String sid) {
    socket.frameHandler(this::onFrame);
    socket.pongHandler(pong -> lastHeard = System.nanoTime());
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onFailure);
    hub.connect(this, sid);
  }

  private void onFrame(WebSocketFrame frame) {
    lastHeard = System.nanoTime();
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // ping, pong and close are Vert.x's business
    }
    MessageAssembler.Outcome outcome = assembler.accept(frame);
    if (outcome instanceof MessageAssembler.Outcome.Text text) {
      onText(text.text());
    } else if (outcome instanceof MessageAssembler.Outcome.Binary) {
      send(new Event.Failure(null, ErrorCode.BAD_REQUEST, "binary messages are not accepted; send text"));
    } else if (outcome instanceof MessageAssembler.Outcome.TooBig) {
      close(1009, "message too big: at most " + limits.maxFrame() + " bytes");
    } else if (outcome instanceof MessageAssembler.Outcome.InvalidText) {
      close(1007, "text is not valid UTF-8");
    }
  }

  /** Netty reports a single frame over the size limit here; the contract answers it with 1009. */
  private void onFailure(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      close(code == 1009 ? 1009 : 1002, code == 1009 ? "message too big" : "protocol error");
    }
  }

  private void onText(String text) {
    metrics.framesIn.increment();
    Protocol.Parsed parsed = protocol.parse(text);
    if (parsed instanceof Protocol.Parsed.Ok ok) {
      hub.handle(this, ok.command());
    } else if (parsed instanceof Protocol.Parsed.Malformed bad) {
      send(new Event.Failure(bad.ref(), ErrorCode.BAD_REQUEST, bad.words()));
    } else if (parsed instanceof Protocol.Parsed.Local local) {
      write(local.reply());
    }
  }

  @Override
  public boolean plainText() {
    return protocol instanceof PlainProtocol;
  }

  @Override
  public void send(Event event) {
    if (closed) {
      return;
    }
    if (event instanceof Event.Failure failure) {
      metrics.error(failure.code());
      if (failure.code() == ErrorCode.BAD_REQUEST && badFrames.tooMany(System.nanoTime())) {
        close(1008, "too many malformed frames");
        return;
      }
    } else if (event instanceof Event.Posted) {
      metrics.deliveries.increment();
    } else if (event instanceof Event.Ack) {
      metrics.messagesIn.increment();
    }
    String frame = protocol.encode(event);
    if (frame != null) {
      write(frame);
    }
  }

  private void write(String frame) {
    long size = frame.length() <= 64 ? frame.getBytes(StandardCharsets.UTF_8).length : utf8Length(frame);
    backlog += size;
    if (backlog > limits.maxBacklog()) {
      metrics.slowConsumerCloses.increment();
      close(1013, "too slow: the outbound backlog exceeded " + limits.maxBacklog() + " bytes");
      return;
    }
    socket.writeTextMessage(frame).onComplete(done -> backlog -= size);
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Sends a ping, or closes the socket if nothing was heard for too long. */
  void heartbeat(long now, long deadNanos) {
    if (closed) {
      return;
    }
    if (now - lastHeard > deadNanos) {
      close(1001, "no pong received");
      return;
    }
    socket.writePing(Buffer.buffer("p"));
  }

  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    socket.close((short) code, reason);
    // The hub may be in the middle of a broadcast that led here; it hears of the close on the
    // next turn of the loop, never while it iterates over its sockets.
    context.runOnContext(v -> release());
  }

  private void onClosed() {
    closed = true;
    release();
  }

  private void release() {
    if (!gone) {
      gone = true;
      hub.disconnect(this);
      released.accept(this);
    }
  }

  boolean closed() {
    return closed;
  }
}
