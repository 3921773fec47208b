package dev.parley.web;

import dev.parley.chat.ChatHub;
import dev.parley.chat.Client;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.net.impl.VertxHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One WebSocket as the hub sees it: frames in become commands, events out become frames.
 *
 * <p>It guards its neighbours: its outbound backlog is bounded (a socket that stops reading
 * is closed with 1013 instead of slowing or swelling the server) and so is its rate of
 * malformed frames (1008).
 *
 * <p>Vert.x performs the handshake; then the channel is served by a {@link SocketHandler} and
 * this class, straight on Netty. Text frames go out as pre-encoded bytes shared with the other
 * recipients ({@link TextFrames}), flushed once per loop turn ({@link TurnFlusher}); control
 * frames (ping, pong, close) pass Netty's WebSocket encoder.
 */
final class Connection implements Client {
  /** How long a close handshake may wait for the peer's close frame before the TCP connection goes. */
  private static final long CLOSING_TIMEOUT_SECONDS = 5;

  private final Channel channel;
  private final Protocol protocol;
  private final ChatHub hub;
  private final WebLimits limits;
  private final WebMetrics metrics;
  private final BadFrames badFrames;
  private final MessageAssembler assembler;
  private final TextFrames frames;
  private final TurnFlusher flusher;
  private final Executor hubThread;
  private final Consumer<Connection> released;
  /** Where pre-encoded frames enter the pipeline: past the WebSocket encoder, before TLS (if any). */
  private ChannelHandlerContext raw;
  /** Where control frames enter the pipeline: before the WebSocket encoder. */
  private ChannelHandlerContext control;
  private boolean dirty;
  private boolean closed;
  private boolean gone;
  private long lastHeard;

  Connection(Channel channel, Protocol protocol, ChatHub hub, WebLimits limits, WebMetrics metrics,
      TextFrames frames, TurnFlusher flusher, Executor hubThread, long now, Consumer<Connection> released) {
    this.channel = channel;
    this.protocol = protocol;
    this.hub = hub;
    this.limits = limits;
    this.metrics = metrics;
    this.frames = frames;
    this.flusher = flusher;
    this.hubThread = hubThread;
    this.released = released;
    this.badFrames = new BadFrames(limits.badFrames(), limits.badFrameWindowNanos());
    this.assembler = new MessageAssembler(limits.maxFrame());
    this.lastHeard = now;
  }

  /**
   * Takes the upgraded channel over from Vert.x and greets the client; called once, on the hub's
   * thread, right after the handshake.
   */
  void start(String sid) {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext encoder = pipeline.context(WebSocketFrameEncoder.class);
    ChannelHandlerContext vertx = pipeline.context(VertxHandler.class);
    if (encoder == null || vertx == null) {
      throw new IllegalStateException("unexpected WebSocket pipeline " + pipeline.names());
    }
    raw = encoder;
    pipeline.replace(vertx.handler(), "parley", new SocketHandler(this));
    control = pipeline.context(SocketHandler.class);
    hub.connect(this, sid);
    if (!channel.isActive()) {
      onClosed(); // it went before the handler was in place to hear it
    }
  }

  void heard() {
    lastHeard = System.nanoTime();
  }

  void onData(boolean continuation, boolean binary, boolean fin, ByteBuf data) {
    if (closed) {
      return;
    }
    MessageAssembler.Outcome outcome = assembler.accept(continuation, binary, fin, data);
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

  /** Netty reports a single frame over its size limit, or a broken frame, here. */
  void onFailure(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      close(code == 1009 ? 1009 : 1002, code == 1009 ? "message too big" : "protocol error");
    } else {
      channel.close(); // an I/O error: the socket is gone
    }
  }

  /** The peer starts (or answers) the closing handshake. */
  void onPeerClose(int status) {
    if (closed) {
      channel.close(); // the answer to our close: the handshake is complete
      return;
    }
    closed = true;
    CloseWebSocketFrame echo = status >= 1000 && status < 5000 && status != 1005 && status != 1006
        ? new CloseWebSocketFrame(status, null)
        : new CloseWebSocketFrame();
    control.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
  }

  void pong(PongWebSocketFrame pong) {
    if (!channel.isActive()) {
      pong.release();
      return;
    }
    control.write(pong, control.voidPromise());
    flusher.written(this);
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
    if (!channel.isActive()) {
      return; // the close is on its way to the hub
    }
    raw.write(frame.retainedDuplicate(), raw.voidPromise());
    flusher.written(this);
  }

  /**
   * Bytes queued for this socket and not yet taken by the operating system, as Netty counts
   * them (the frames plus a small fixed cost per queued frame).
   */
  private long backlog() {
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
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

  /** Sends a ping, or closes the socket if nothing was heard for too long; returns whether it is still open. */
  boolean heartbeat(long now, long deadNanos) {
    if (closed) {
      return false;
    }
    if (now - lastHeard > deadNanos) {
      close(1001, "no pong received");
      return false;
    }
    control.write(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), control.voidPromise());
    flusher.written(this);
    return true;
  }

  /**
   * Starts the closing handshake: the close frame follows whatever is queued, and the TCP
   * connection goes when the peer answers or after {@value #CLOSING_TIMEOUT_SECONDS} s (a peer
   * that does not read never answers).
   */
  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (channel.isActive()) {
      control.writeAndFlush(new CloseWebSocketFrame(code, reason));
      Channel socket = channel;
      socket.eventLoop().schedule(() -> socket.close(), CLOSING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    // The hub may be in the middle of a broadcast that led here; it hears of the close on the
    // next turn of the loop, never while it iterates over its sockets.
    hubThread.execute(this::release);
  }

  void onClosed() {
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
}
