package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * One long-lived client connection: the last handler of its pipeline. It is ready once the
 * upgrade is done and, when it has a room to join on {@code /ws}, once the room is joined. It
 * then tallies what arrives: stamped deliveries (latency, duplicates), acks, errors, close codes,
 * and unstamped deliveries (which {@link Barrier} uses to know a socket is in its room).
 *
 * <p>Duplicates are found per socket with a bit set indexed by the message's sequence number
 * in its room. Everything here runs on the socket's event loop except the volatile fields.
 */
final class BenchSocket extends ChannelInboundHandlerAdapter {
  final int index;
  /** The room this socket posts to (joined on /ws; on /chat every socket is in "general"). */
  final String room;
  private final Dialect dialect;
  private final Tally tally;
  final CompletableFuture<BenchSocket> ready = new CompletableFuture<>();
  private final BitSet seen = new BitSet();
  private final Payload.Stamp stamp = new Payload.Stamp();
  private volatile Channel channel;
  private volatile int unstamped;
  private volatile boolean leaving;
  private int closeCode = -1;

  BenchSocket(int index, String room, Dialect dialect, Tally tally) {
    this.index = index;
    this.room = room;
    this.dialect = dialect;
    this.tally = tally;
  }

  Channel channel() {
    return channel;
  }

  /** Deliveries without a stamp (barrier messages) this socket has seen. */
  int unstamped() {
    return unstamped;
  }

  /** Posts {@code text} to this socket's room: written, not flushed. */
  void post(String text) {
    channel.write(new TextWebSocketFrame(dialect.send(room, text)), channel.voidPromise());
  }

  /** Ends the connection on purpose (not counted as a close during the run). */
  void leave() {
    leaving = true;
    Channel c = channel;
    if (c != null && c.isActive()) {
      c.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(f -> c.close());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      if (dialect.joinsRooms() && room != null) {
        ctx.writeAndFlush(new TextWebSocketFrame(dialect.join(room)), ctx.voidPromise());
      } else {
        ready.complete(this);
      }
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ready.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame frame) {
        onText(frame.content());
      } else if (msg instanceof CloseWebSocketFrame close) {
        closeCode = close.statusCode();
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(ByteBuf text) {
    switch (dialect.classify(text)) {
      case DELIVERY -> onDelivery(text);
      case JOINED -> ready.complete(this);
      case ACK -> tally.acks.increment();
      case ERROR -> {
        tally.errors.increment();
        if (!ready.isDone()) {
          ready.completeExceptionally(new IllegalStateException("refused: " + text.toString(StandardCharsets.UTF_8)));
        }
      }
      default -> {
      }
    }
  }

  private void onDelivery(ByteBuf text) {
    if (!stamp.read(text)) {
      unstamped++; // only this event loop writes it
      return;
    }
    long now = Clock.now();
    tally.arrived.increment();
    if (stamp.seq > Integer.MAX_VALUE) {
      return; // never from this generator
    }
    int seq = (int) stamp.seq;
    if (seen.get(seq)) {
      tally.duplicates.increment();
      return;
    }
    seen.set(seq);
    if (tally.measured(stamp.nanos)) {
      tally.record(now - stamp.nanos);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("closed before it was ready"));
    } else if (!leaving) {
      tally.closed(closeCode);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
