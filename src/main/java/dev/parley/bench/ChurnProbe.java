package dev.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One churned connection of the {@code churn} scenario, the last handler of its pipeline: it
 * connects and upgrades; on {@code /ws} it waits for the server's hello and, when it has a room,
 * joins it and waits for the joined snapshot; it is then <em>ready</em>. It stays open for the
 * hold time, then ends as its {@link ChurnPlan.Ending} says:
 *
 * <ul>
 *   <li>CLEAN: sends a close frame (1000) and waits for the server's close frame and for the
 *       server to close the TCP connection (so the server keeps the TIME_WAIT), forcing the
 *       close after the close timeout;
 *   <li>FIN: closes the TCP connection with no close frame;
 *   <li>RST: the same with SO_LINGER 0, so the kernel sends a reset.
 * </ul>
 *
 * <p>Anything that stops it before it is ready (a refused or failed connect, an HTTP status
 * instead of 101, the server closing, no hello or snapshot within the timeout) counts once as
 * a failure, by reason; so does the server closing it during the hold. It leaves the in-flight
 * count exactly once, whatever happened. Everything here runs on the channel's event loop.
 */
final class ChurnProbe extends ChannelInboundHandlerAdapter {
  private static final byte[] HELLO = "\"type\":\"hello\"".getBytes(StandardCharsets.US_ASCII);

  private enum Phase { CONNECTING, UPGRADED, JOINING, READY, CLOSING, DONE }

  private final ChurnTally tally;
  private final Dialect dialect;
  private final String room;
  private final ChurnPlan.Ending ending;
  private final long holdNanos;
  private final long timeoutNanos;
  private final long closeTimeoutNanos;
  private final long started = Clock.now();
  private Phase phase = Phase.CONNECTING;
  private ScheduledFuture<?> timer;
  private boolean echoed;
  private boolean finished;

  /**
   * @param room the room to join on {@code /ws} once the hello came, or null to stop at the hello
   * @param timeoutNanos from the start of the connect to ready, at most
   * @param closeTimeoutNanos from a clean close's close frame to the server closing TCP, at most
   */
  ChurnProbe(ChurnTally tally, Dialect dialect, String room, ChurnPlan.Ending ending, long holdNanos,
      long timeoutNanos, long closeTimeoutNanos) {
    this.tally = tally;
    this.dialect = dialect;
    this.room = dialect.joinsRooms() ? room : null;
    this.ending = ending;
    this.holdNanos = holdNanos;
    this.timeoutNanos = timeoutNanos;
    this.closeTimeoutNanos = closeTimeoutNanos;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long left = Math.max(1, started + timeoutNanos - Clock.now());
    timer = ctx.executor().schedule(() -> {
      if (phase.compareTo(Phase.READY) < 0) {
        fail("timeout " + waitingFor());
        ctx.close();
      }
    }, left, TimeUnit.NANOSECONDS);
    super.channelActive(ctx);
  }

  private String waitingFor() {
    return switch (phase) {
      case CONNECTING -> "before the upgrade";
      case UPGRADED -> "waiting for the hello";
      default -> "waiting for the joined snapshot";
    };
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && phase == Phase.CONNECTING) {
      phase = Phase.UPGRADED;
      tally.upgraded(Clock.now() - started);
      if (dialect != Dialect.WS) {
        ready(ctx); // /chat says nothing on arrival: the upgrade is all there is to wait for
      }
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail("handshake timeout");
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame frame) {
        onText(ctx, frame.content());
      } else if (msg instanceof CloseWebSocketFrame close) {
        if (phase == Phase.CLOSING) {
          echoed = true; // now the server closes the TCP connection
        } else if (phase != Phase.DONE) {
          fail("server closed " + close.statusCode() + " " + (phase == Phase.READY ? "during the hold" : waitingFor()));
          ctx.close();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(ChannelHandlerContext ctx, ByteBuf text) {
    if (phase == Phase.UPGRADED) {
      if (Dialect.indexOf(text, text.readerIndex(), text.writerIndex(), HELLO) < 0) {
        return;
      }
      if (room == null) {
        ready(ctx);
      } else {
        phase = Phase.JOINING;
        ctx.writeAndFlush(new TextWebSocketFrame(dialect.join(room)), ctx.voidPromise());
      }
    } else if (phase == Phase.JOINING) {
      Dialect.Kind kind = dialect.classify(text);
      if (kind == Dialect.Kind.JOINED) {
        ready(ctx);
      } else if (kind == Dialect.Kind.ERROR) {
        fail("join refused");
        ctx.close();
      }
    }
  }

  private void ready(ChannelHandlerContext ctx) {
    phase = Phase.READY;
    tally.ready(Clock.now() - started);
    cancelTimer();
    if (holdNanos > 0) {
      timer = ctx.executor().schedule(() -> end(ctx), holdNanos, TimeUnit.NANOSECONDS);
    } else {
      end(ctx);
    }
  }

  private void end(ChannelHandlerContext ctx) {
    if (phase != Phase.READY) {
      return;
    }
    switch (ending) {
      case CLEAN -> {
        phase = Phase.CLOSING;
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "churn"));
        timer = ctx.executor().schedule(() -> {
          if (phase == Phase.CLOSING) {
            phase = Phase.DONE;
            tally.closeTimeouts.increment();
            ctx.close();
          }
        }, closeTimeoutNanos, TimeUnit.NANOSECONDS);
      }
      case FIN -> {
        phase = Phase.DONE;
        tally.droppedFin.increment();
        ctx.close();
      }
      case RST -> {
        phase = Phase.DONE;
        tally.droppedRst.increment();
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
      }
      default -> throw new IllegalStateException(ending.toString());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
      fail("HTTP " + h.response().status().code());
    } else {
      fail(cause.getClass().getSimpleName() + " " + waitingOrHolding());
    }
    ctx.close();
  }

  private String waitingOrHolding() {
    return phase == Phase.READY ? "during the hold" : phase == Phase.CLOSING ? "while closing" : waitingFor();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    switch (phase) {
      case CLOSING -> {
        phase = Phase.DONE;
        (echoed ? tally.closedClean : tally.closedNoEcho).increment();
      }
      case DONE -> {
      }
      case READY -> fail("closed by the server during the hold");
      default -> fail("closed " + waitingFor());
    }
    finish();
    super.channelInactive(ctx);
  }

  /** The TCP connection could not be made at all. */
  void connectFailed(Throwable cause) {
    fail("connect: " + cause.getClass().getSimpleName());
    finish();
  }

  /** Counts one failure per connection, and none once it has been ended on purpose. */
  private void fail(String reason) {
    if (phase == Phase.DONE || phase == Phase.CLOSING) {
      return;
    }
    phase = Phase.DONE;
    tally.failed(reason);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      tally.inFlight.decrementAndGet();
    }
  }
}
