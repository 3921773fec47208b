package dev.parley.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connect–upgrade–close cycle of the {@code handshakes} scenario. Once upgraded it sends a
 * close frame and waits for the server to close the TCP connection (so the server, closing
 * first, keeps the TIME_WAIT), forcing the close after two seconds. Then it calls {@code next},
 * exactly once, whatever happened.
 *
 * <p>In the {@link Tally}: {@code arrived} counts every upgrade, {@code record} the upgrade time
 * (connect to 101) of attempts started in the window, {@code failed} the failures by reason.
 */
final class HandshakeProbe extends ChannelInboundHandlerAdapter {
  private final Tally tally;
  private final Runnable next;
  private final long started = Clock.now();
  private boolean upgraded;
  private boolean counted;
  private boolean finished;
  private ScheduledFuture<?> forceClose;

  HandshakeProbe(Tally tally, Runnable next) {
    this.tally = tally;
    this.next = next;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      upgraded = true;
      tally.arrived.increment();
      if (tally.measured(started)) {
        tally.record(Clock.now() - started);
      }
      ctx.writeAndFlush(new CloseWebSocketFrame(1000, null));
      forceClose = ctx.executor().schedule(() -> ctx.close(), 2, TimeUnit.SECONDS);
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail("handshake timeout");
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // a hello, the server's close frame: nothing to look at
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
      fail("HTTP " + h.response().status().code());
    } else {
      fail(cause.getClass().getSimpleName());
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (forceClose != null) {
      forceClose.cancel(false);
    }
    fail("closed before the upgrade");
    finish();
    super.channelInactive(ctx);
  }

  /** The TCP connection could not be made at all. */
  void connectFailed(Throwable cause) {
    fail(cause.getClass().getSimpleName());
    finish();
  }

  /** Counts one failure per attempt, and none for an attempt that upgraded. */
  private void fail(String reason) {
    if (!upgraded && !counted) {
      counted = true;
      tally.failed(reason);
      tally.errors.increment();
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      next.run();
    }
  }
}
