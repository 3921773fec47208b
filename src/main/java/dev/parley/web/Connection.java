package dev.parley.web;

import dev.parley.chat.ChatHub;
import dev.parley.chat.Client;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.Event;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Consumer;

/**
 * One WebSocket as the hub sees it: frames in become commands, events out become frames.
 *
 * <p>It guards its neighbours: its outbound backlog is bounded (a socket that stops reading
 * is closed with 1013 instead of slowing or swelling the server) and so is its rate of
 * malformed frames (1008).
 *
 * <p>Frames go out as pre-encoded bytes shared with the other recipients ({@link TextFrames}),
 * written straight to the Netty channel and flushed once per loop turn ({@link TurnFlusher}).
 * Vert.x still writes the control frames (pings, pongs, close); every text frame takes this
 * one path, so text frames keep their order.
 */
final class Connection implements Client {
  private final ServerWebSocket socket;
  private final Protocol protocol;
  private final ChatHub hub;
  private final WebLimits limits;
  private final WebMetrics metrics;
  private final BadFrames badFrames;
  private final MessageAssembler assembler;
  private final TextFrames frames;
  private final TurnFlusher flusher;
  /** Where text frames enter the pipeline: past Vert.x, before TLS (if any) and the socket. */
  private final ChannelHandlerContext channel;
  private boolean dirty;
  private final Consumer<Connection> released;
  private final Context context;
  private boolean closed;
  private boolean gone;
  private long lastHeard;

  Connection(ServerWebSocket socket, Channel channel, Protocol protocol, ChatHub hub, WebLimits limits,
      WebMetrics metrics, TextFrames frames, TurnFlusher flusher, long now, Consumer<Connection> released) {
    this.released = released;
    this.frames = frames;
    this.flusher = flusher;
    this.channel = rawFrames(channel);
    // While Netty reports a channel unwritable, Vert.x holds back its own writes (pings, the
    // close frame); with Netty's default 64 KiB mark, one burst to a prompt reader would do that.
    int mark = (int) Math.max(64 * 1024, Math.min(Integer.MAX_VALUE / 2, limits.maxBacklog()));
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(mark, 2 * mark));
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

  /**
   * Where pre-encoded frames enter the pipeline: just past the WebSocket encoder (they need no
   * encoding), so that they still pass TLS, when there is TLS, on their way to the socket.
   */
  private static ChannelHandlerContext rawFrames(Channel channel) {
    ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    if (encoder == null) {
      throw new IllegalStateException("no WebSocket encoder in the pipeline " + channel.pipeline().names());
    }
    return encoder;
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
      ByteBuf reply = frames.frame(local.reply());
      write(reply);
      reply.release();
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
    ByteBuf frame = frames.frame(protocol, event);
    if (frame != null) {
      write(frame);
    }
  }

  /** Queues a shared frame; it leaves with the socket's next flush. */
  private void write(ByteBuf frame) {
    if (!channel.channel().isActive()) {
      return; // the close is on its way to the hub
    }
    channel.write(frame.retainedDuplicate(), channel.voidPromise());
    flusher.written(this);
  }

  /**
   * Bytes queued for this socket and not yet taken by the operating system, as Netty counts
   * them (the frames plus a small fixed cost per queued frame).
   */
  private long backlog() {
    ChannelOutboundBuffer queued = channel.channel().unsafe().outboundBuffer();
    return queued == null ? 0 : queued.totalPendingWriteBytes();
  }

  /** Marks the socket as holding unflushed frames; false if it already was. */
  boolean markDirty() {
    boolean was = dirty;
    dirty = true;
    return !was;
  }

  /**
   * Hands the queued frames to the operating system, and closes the socket if what it could not
   * take (the backlog) is over the limit. The backlog is measured after the flush, so a burst to a
   * socket that reads promptly does not count against it.
   */
  void flush() {
    dirty = false;
    channel.flush();
    if (!closed && backlog() > limits.maxBacklog()) {
      metrics.slowConsumerCloses.increment();
      close(1013, "too slow: the outbound backlog exceeded " + limits.maxBacklog() + " bytes");
    }
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
