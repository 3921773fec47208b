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
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.net.impl.VertxHandler;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Vert.x performs the handshake on the hub's event loop; then the channel is served by a
 * {@link SocketHandler} and this class, straight on Netty, and moved to its own socket loop
 * (sockets are spread over several loops, so that writing a broadcast uses every core). Text
 * frames go out as pre-encoded bytes shared with the other recipients ({@link TextFrames}),
 * flushed once per loop turn ({@link TurnFlusher}); control frames (ping, pong, close) pass
 * Netty's WebSocket encoder.
 *
 * <p><b>Threading.</b> Two threads meet here. The hub's side ({@link #send}, {@link #close},
 * {@link #heartbeat}, and the release) runs on the hub's loop; the wire's side (frames in,
 * writes, flushes, the closing handshake) on the socket's loop. Each side has its own closed
 * flag. When the two loops differ, the hub's writes reach the socket through the
 * {@link Outbox} (one batch per loop per turn) and commands reach the hub as tasks on its loop;
 * when they are the same, both happen directly.
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
  private final Outbox outbox;
  private final EventLoop hubLoop;
  private final Executor hubThread;
  private final Consumer<Connection> released;
  /** The socket's loop, and the flusher of that loop; set once the channel has moved there. */
  private EventLoop loop;
  private TurnFlusher flusher;
  /** Whether the socket's loop is the hub's: then the hub writes directly. */
  private boolean local;
  /** On the socket's loop: whether the channel has arrived there; until then, what the hub sends waits. */
  private boolean moved;
  private List<Object> early;
  /** Where pre-encoded frames enter the pipeline: past the WebSocket encoder, before TLS (if any). */
  private ChannelHandlerContext raw;
  /** Where control frames enter the pipeline: before the WebSocket encoder. */
  private ChannelHandlerContext control;
  private boolean dirty;
  /** The hub's side: closed (or gone); nothing more is sent. */
  private boolean closed;
  /** The wire's side: the closing handshake has begun (or the peer is gone); nothing more is read or written. */
  private boolean wireClosed;
  private boolean gone;
  /** Written on the socket's loop, read by the hub's heartbeat. */
  private volatile long lastHeard;

  Connection(Channel channel, Protocol protocol, ChatHub hub, WebLimits limits, WebMetrics metrics,
      TextFrames frames, Outbox outbox, EventLoop hubLoop, Executor hubThread, long now,
      Consumer<Connection> released) {
    this.channel = channel;
    this.protocol = protocol;
    this.hub = hub;
    this.limits = limits;
    this.metrics = metrics;
    this.frames = frames;
    this.outbox = outbox;
    this.hubLoop = hubLoop;
    this.hubThread = hubThread;
    this.released = released;
    this.badFrames = new BadFrames(limits.badFrames(), limits.badFrameWindowNanos());
    this.assembler = new MessageAssembler(limits.maxFrame());
    this.lastHeard = now;
  }

  /**
   * Takes the upgraded channel over from Vert.x, moves it to {@code target} (a socket loop, with
   * its flusher) and then greets the client; called once, on the hub's loop, right after the
   * handshake.
   */
  void start(String sid, EventLoop target, TurnFlusher targetFlusher) {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext encoder = pipeline.context(WebSocketFrameEncoder.class);
    ChannelHandlerContext vertx = pipeline.context(VertxHandler.class);
    if (encoder == null || vertx == null) {
      throw new IllegalStateException("unexpected WebSocket pipeline " + pipeline.names());
    }
    raw = encoder;
    pipeline.replace(vertx.handler(), "parley", new SocketHandler(this));
    control = pipeline.context(SocketHandler.class);
    loop = target;
    flusher = targetFlusher;
    local = target == channel.eventLoop();
    if (local) {
      connect(sid);
      return;
    }
    // Nothing is read until the channel is on its loop, so every frame is read there and every
    // command reaches the hub after the connection; what the hub sends meanwhile waits in deliver.
    channel.config().setAutoRead(false);
    connect(sid);
    channel.deregister().addListener(off -> {
      if (off.isSuccess()) {
        target.register(channel).addListener(on -> target.execute(() -> moved(on.isSuccess())));
      } else {
        channel.close();
      }
    });
  }

  /** On the socket's loop: the channel now lives here (or could not be moved, and is closed). */
  private void moved(boolean ok) {
    moved = true;
    List<Object> waiting = early;
    early = null;
    if (!ok) {
      wireClosed = true;
      channel.close();
      if (waiting != null) {
        waiting.forEach(ReferenceCountUtil::release);
      }
      onHub(this::lost);
      return;
    }
    if (waiting != null) {
      waiting.forEach(this::deliver);
    }
    channel.config().setAutoRead(true);
  }

  /** On the hub's loop: the hub learns of the socket. */
  private void connect(String sid) {
    hub.connect(this, sid);
    if (!channel.isActive()) {
      lost(); // it went before the handler was in place to hear it (or while it moved)
    }
  }

  /** The event loop that serves this socket. */
  EventLoop loop() {
    return loop;
  }

  /** Runs {@code task} on the hub's loop: now if this is it, else as a task there. */
  private void onHub(Runnable task) {
    if (hubLoop.inEventLoop()) {
      task.run();
    } else {
      hubThread.execute(task);
    }
  }

  void heard() {
    lastHeard = System.nanoTime();
  }

  void onData(boolean continuation, boolean binary, boolean fin, ByteBuf data) {
    if (wireClosed) {
      return;
    }
    MessageAssembler.Outcome outcome = assembler.accept(continuation, binary, fin, data);
    if (outcome instanceof MessageAssembler.Outcome.Text text) {
      onText(text.text());
    } else if (outcome instanceof MessageAssembler.Outcome.Binary) {
      Event failure = new Event.Failure(null, ErrorCode.BAD_REQUEST, "binary messages are not accepted; send text");
      onHub(() -> send(failure));
    } else if (outcome instanceof MessageAssembler.Outcome.TooBig) {
      closeHere(1009, "message too big: at most " + limits.maxFrame() + " bytes");
    } else if (outcome instanceof MessageAssembler.Outcome.InvalidText) {
      closeHere(1007, "text is not valid UTF-8");
    }
  }

  /** Netty reports a single frame over its size limit, or a broken frame, here. */
  void onFailure(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      closeHere(code == 1009 ? 1009 : 1002, code == 1009 ? "message too big" : "protocol error");
    } else {
      channel.close(); // an I/O error: the socket is gone
    }
  }

  /** The peer starts (or answers) the closing handshake. */
  void onPeerClose(int status) {
    if (wireClosed) {
      channel.close(); // the answer to our close: the handshake is complete
      return;
    }
    wireClosed = true;
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
      onHub(() -> hub.handle(this, ok.command()));
    } else if (parsed instanceof Protocol.Parsed.Malformed bad) {
      Event failure = new Event.Failure(bad.ref(), ErrorCode.BAD_REQUEST, bad.words());
      onHub(() -> send(failure));
    } else if (parsed instanceof Protocol.Parsed.Local reply) {
      writeHere(frames.frame(reply.reply()));
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
    if (frame == null) {
      return;
    }
    if (local) {
      writeHere(frame.retainedDuplicate());
    } else {
      outbox.write(this, frame);
    }
  }

  /** On the socket's loop: an item the hub queued for it in the {@link Outbox}. */
  void deliver(Object item) {
    if (!moved) {
      early = early == null ? new ArrayList<>() : early;
      early.add(item);
    } else if (item instanceof ByteBuf frame) {
      writeHere(frame);
    } else if (item instanceof Outbox.Close close) {
      closeWire(close.code(), close.reason());
    } else if (item == Outbox.PING) {
      pingHere();
    }
  }

  /** On the socket's loop: queues a frame (taking over the reference); it leaves with the socket's next flush. */
  private void writeHere(ByteBuf frame) {
    if (wireClosed || !channel.isActive()) {
      frame.release(); // the close is on its way to the hub
      return;
    }
    raw.write(frame, raw.voidPromise());
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
    if (!wireClosed && backlog() > limits.maxBacklog()) {
      metrics.slowConsumerCloses.increment();
      closeHere(1013, "too slow: the outbound backlog exceeded " + limits.maxBacklog() + " bytes");
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
    if (local) {
      pingHere();
    } else {
      outbox.ping(this);
    }
    return true;
  }

  private void pingHere() {
    if (wireClosed || !channel.isActive()) {
      return;
    }
    control.write(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), control.voidPromise());
    flusher.written(this);
  }

  /**
   * The hub closes the socket (on the hub's loop): nothing more is sent, the closing handshake
   * follows whatever is queued, and the hub hears of the close on its next turn.
   */
  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (local) {
      closeWire(code, reason);
    } else {
      outbox.close(this, code, reason);
    }
    // The hub may be in the middle of a broadcast that led here; it hears of the close on the
    // next turn of the loop, never while it iterates over its sockets.
    hubThread.execute(this::release);
  }

  /** The socket's loop found a reason to close: the handshake starts now, and the hub is told. */
  private void closeHere(int code, String reason) {
    closeWire(code, reason);
    onHub(() -> close(code, reason));
  }

  /**
   * On the socket's loop: starts the closing handshake. The TCP connection goes when the peer
   * answers or after {@value #CLOSING_TIMEOUT_SECONDS} s (a peer that does not read never answers).
   */
  private void closeWire(int code, String reason) {
    if (wireClosed) {
      return;
    }
    wireClosed = true;
    if (channel.isActive()) {
      control.writeAndFlush(new CloseWebSocketFrame(code, reason));
      Channel socket = channel;
      socket.eventLoop().schedule(() -> socket.close(), CLOSING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** On the socket's loop: the channel is gone. */
  void onClosed() {
    wireClosed = true;
    onHub(this::lost);
  }

  /** On the hub's loop: the socket went away without the hub closing it. */
  private void lost() {
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
