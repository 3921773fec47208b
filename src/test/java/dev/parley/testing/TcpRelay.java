package dev.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a free loopback port in front of a server, to play network faults:
 * {@link #refuseNew} turns new connections away (accepted and closed at once), {@link #cut}
 * also drops the open ones, and {@link #restore} lets connections through again.
 * {@link #freeze} plays a half-open peer (a cable pulled, packets dropped with no FIN or RST):
 * nothing is read or forwarded in either direction while both sockets stay open, until
 * {@link #thaw}.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final String url;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  /** The relay's sockets to the target, one per relayed connection. */
  private final Set<Socket> upstreams = ConcurrentHashMap.newKeySet();
  private volatile boolean open = true;
  /** Guards {@link #frozen}; pumps wait on it while the relay is frozen. */
  private final Object thawed = new Object();
  private boolean frozen;

  private TcpRelay(String targetHost, int targetPort, String targetUrl) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.url = targetUrl == null ? null : throughRelay(URI.create(targetUrl), listener.getLocalPort());
    Thread acceptor = new Thread(this::accept, "tcp-relay-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay to a port on this machine. */
  public static TcpRelay to(int port) throws IOException {
    return new TcpRelay(InetAddress.getLoopbackAddress().getHostAddress(), port, null);
  }

  /** A relay to the server of a URL such as {@code redis://127.0.0.1:6379}; {@link #url()} points through it. */
  public static TcpRelay toUrl(String targetUrl, int defaultPort) throws IOException {
    URI target = URI.create(targetUrl);
    return new TcpRelay(target.getHost(), target.getPort() < 0 ? defaultPort : target.getPort(), targetUrl);
  }

  private static String throughRelay(URI target, int port) {
    String userInfo = target.getRawUserInfo() == null ? "" : target.getRawUserInfo() + "@";
    String path = target.getRawPath() == null ? "" : target.getRawPath();
    return target.getScheme() + "://" + userInfo + "127.0.0.1:" + port + path;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The target URL given to {@link #toUrl}, with the relay's address in place of the server's. */
  public String url() {
    return url;
  }

  /** An HTTP URL of a path through the relay. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /**
   * The local ports of the relay's open sockets to the target, one per relayed connection: the
   * ports the target sees its peers at.
   */
  public Set<Integer> upstreamPorts() {
    Set<Integer> ports = new TreeSet<>();
    upstreams.forEach(s -> ports.add(s.getLocalPort()));
    return ports;
  }

  /** New connections are turned away; open ones go on. */
  public void refuseNew() {
    open = false;
  }

  /** Every open connection is dropped, and new ones are turned away until {@link #restore}. */
  public void cut() {
    open = false;
    sockets.forEach(TcpRelay::closeQuietly);
    sockets.clear();
    upstreams.clear();
    synchronized (thawed) {
      thawed.notifyAll(); // frozen pumps of the closed sockets end
    }
  }

  public void restore() {
    open = true;
  }

  /**
   * Every connection, open or new, stops carrying bytes in both directions while both of its
   * sockets stay open: the relay no longer reads them, so neither end sees a FIN, an RST or an
   * error, and what the server writes piles up in the kernel's buffers and then in its own, as
   * when a peer's packets are dropped. A chunk already read is held, not lost, until {@link #thaw}.
   */
  public void freeze() {
    synchronized (thawed) {
      frozen = true;
    }
  }

  /** Connections carry bytes again, starting with any chunk held since {@link #freeze}. */
  public void thaw() {
    synchronized (thawed) {
      frozen = false;
      thawed.notifyAll();
    }
  }

  @Override
  public void close() {
    cut();
    closeQuietly(listener);
  }

  /** Waits while the relay is frozen; returns at once when one of the sockets was closed by {@link #cut}. */
  private void awaitThawed(Socket from, Socket to) throws InterruptedException {
    synchronized (thawed) {
      while (frozen && !from.isClosed() && !to.isClosed()) {
        thawed.wait();
      }
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (!open) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        upstreams.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** Copies one direction; when either side ends, both sockets close. */
  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        while (true) {
          awaitThawed(from, to);
          int n = in.read(buffer);
          if (n < 0) {
            awaitThawed(from, to); // nor is an end passed on: the other side sees no FIN while frozen
            break;
          }
          awaitThawed(from, to); // a chunk read as the relay froze is held, not forwarded
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
        upstreams.remove(from);
        upstreams.remove(to);
      }
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
