package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a plain TCP socket, for what a well-behaved client will not
 * do: hold a connection without a request, trickle a request head byte by byte, or keep one
 * connection alive and watch when the server ends it.
 */
public final class RawHttp implements AutoCloseable {
  /** One response as read from the wire; header names lower-cased. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  private RawHttp(Socket socket, int port) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.port = port;
    socket.setSoTimeout((int) WsClient.WAIT.toMillis());
  }

  /** A TCP connection to 127.0.0.1:{@code port}; nothing is sent yet. */
  public static RawHttp connect(int port) throws IOException {
    return new RawHttp(new Socket("127.0.0.1", port), port);
  }

  /** The same, from another loopback address (Linux answers all of 127.0.0.0/8), e.g. {@code 127.0.0.2}. */
  public static RawHttp connectFrom(String localAddress, int port) throws IOException {
    return new RawHttp(new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0),
        port);
  }

  /** Writes these characters as they are (no line ending added). */
  public void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends {@code GET path} with a Host header and the given name/value pairs, and reads the response. */
  public Response get(String path, String... headers) throws IOException {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    send(head.append("\r\n").toString());
    return read();
  }

  /** Reads one response; its body must have a Content-Length (every Parley response does). */
  public Response read() throws IOException {
    socket.setSoTimeout((int) WsClient.WAIT.toMillis());
    String statusLine = readLine();
    String[] parts = statusLine.split(" ");
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    String length = headers.get("content-length");
    if (length == null) {
      throw new IOException("a response without Content-Length: " + statusLine + " " + headers);
    }
    byte[] body = in.readNBytes(Integer.parseInt(length));
    return new Response(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b == -1) {
      throw new EOFException("the server closed the connection");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Waits at most {@code wait} for the server to end the connection: true when it did (end of
   * stream or reset), false when the connection is still open and silent after {@code wait}.
   * Fails if the server sends anything instead.
   */
  public boolean closedWithin(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    int b;
    try {
      b = in.read();
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
    if (b == -1) {
      return true;
    }
    throw new AssertionError("expected silence or a close, got byte " + b);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
