package dev.parley.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The Netty end of one WebSocket, in place of Vert.x's once the upgrade is done: it hands
 * decoded frames to its {@link Connection} and answers pings.
 *
 * <p>Vert.x keeps two message queues, the upgrade request with its headers and several
 * wrappers alive for every WebSocket (about 14 KiB each); an idle chat connection needs none of
 * them, so after the handshake the channel is served by this handler alone.
 */
final class SocketHandler extends ChannelInboundHandlerAdapter {
  private final Connection connection;

  SocketHandler(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof WebSocketFrame frame)) {
        return;
      }
      connection.heard();
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
          || frame instanceof ContinuationWebSocketFrame) {
        connection.onData(frame instanceof ContinuationWebSocketFrame, frame instanceof BinaryWebSocketFrame,
            frame.isFinalFragment(), frame.content());
      } else if (frame instanceof PingWebSocketFrame) {
        connection.pong(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame close) {
        connection.onPeerClose(close.statusCode());
      } // a pong only proves the peer is alive
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.onClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.onFailure(cause);
  }
}
