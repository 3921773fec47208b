package dev.parley.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The generator's connections to one server: one event-loop group (one thread unless told
 * otherwise), one bootstrap, and the source addresses sockets are spread over. Opens sockets
 * with a bounded number of handshakes in flight, and closes everything at the end.
 */
final class Fleet implements AutoCloseable {
  static final int MAX_FRAME = 1 << 20; // the contract: clients accept frames up to 1 MiB
  private static final long READY_TIMEOUT_SECONDS = 60;

  private final Target target;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final SourceAddresses sources;
  private final InetSocketAddress remote;
  private final WebSocketClientProtocolConfig config;
  private final List<BenchSocket> held = new ArrayList<>();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  Fleet(Target target) {
    this.target = target;
    this.group = Transport.group(target.threads);
    this.sources = new SourceAddresses(target.effectiveSources());
    this.remote = new InetSocketAddress(target.host, target.port);
    this.config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(target.uri())
        .version(WebSocketVersion.V13)
        .maxFramePayloadLength(MAX_FRAME)
        .handshakeTimeoutMillis(30_000)
        .handleCloseFrames(false) // the last handler sees the close code and closes
        .sendCloseFrame(null)
        .dropPongFrames(true)
        .generateOriginHeader(false)
        .withUTF8Validator(false)
        .build();
    this.bootstrap = new Bootstrap().group(group).channel(Transport.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  EventLoopGroup group() {
    return group;
  }

  int sourceAddresses() {
    return sources.size();
  }

  /** Starts one connection whose pipeline ends with {@code last} (a fresh handler per connection). */
  ChannelFuture connect(ChannelHandler last) {
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
            new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME), last);
      }
    });
    InetSocketAddress local = sources.next();
    return local == null ? b.connect(remote) : b.connect(remote, local);
  }

  /**
   * Opens {@code count} sockets made by {@code make} (given 0, 1, …) and waits until each is
   * ready or has failed, printing progress. Returns the ready ones, in index order; they are
   * also held, to be closed with the fleet.
   */
  List<BenchSocket> open(int count, IntFunction<BenchSocket> make) throws InterruptedException {
    BenchSocket[] sockets = new BenchSocket[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch settled = new CountDownLatch(count);
    Runnable launch = new Runnable() {
      @Override
      public void run() {
        int i = next.getAndIncrement();
        if (i >= count) {
          return;
        }
        BenchSocket s = make.apply(i);
        sockets[i] = s;
        s.ready.orTimeout(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, err) -> {
          if (err != null) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, err);
            s.leave();
          }
          settled.countDown();
          group.execute(this); // the next one, off this stack
        });
        connect(s).addListener(f -> {
          if (!f.isSuccess()) {
            s.ready.completeExceptionally(f.cause());
          }
        });
      }
    };
    try (Progress p = Progress.start("connect", () -> String.format("%,d of %,d settled, %,d failed",
        count - settled.getCount(), count, failed.get()))) {
      for (int c = 0, n = Math.min(Math.max(1, target.connectConcurrency), count); c < n; c++) {
        launch.run();
      }
      settled.await();
    }
    List<BenchSocket> ready = new ArrayList<>(count);
    for (BenchSocket s : sockets) {
      if (!s.ready.isCompletedExceptionally()) {
        ready.add(s);
      }
    }
    synchronized (held) {
      held.addAll(ready);
    }
    return ready;
  }

  /** A short description of the first connection failure, or null when none failed. */
  String firstFailure() {
    Throwable t = firstFailure.get();
    if (t == null) {
      return null;
    }
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    synchronized (held) {
      for (BenchSocket s : held) {
        s.leave();
      }
      held.clear();
    }
    group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
