package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written by hand over a plain TCP socket, for what a well-behaved client
 * library will not do: send an arbitrary {@code Host} header, or never answer a ping.
 */
public final class RawWebSocket implements AutoCloseable {
  /** One frame as read from the wire (unmasked, as a server sends it). */
  public record Frame(int opcode, byte[] payload) {
    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** The status code of a close frame, or -1 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int status;
  private final Map<String, String> headers;

  private RawWebSocket(Socket socket, DataInputStream in, OutputStream out, int status, Map<String, String> headers) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.status = status;
    this.headers = headers;
  }

  /**
   * Sends an upgrade request for {@code path} to 127.0.0.1:{@code port} with the given extra
   * headers (a {@code Host} among them replaces the default one) and reads the response head.
   */
  public static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) WsClient.WAIT.toMillis());
    Map<String, String> request = new LinkedHashMap<>();
    request.put("Host", "127.0.0.1:" + port);
    request.put("Upgrade", "websocket");
    request.put("Connection", "Upgrade");
    byte[] key = new byte[16];
    new java.security.SecureRandom().nextBytes(key);
    request.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
    request.put("Sec-WebSocket-Version", "13");
    request.putAll(extraHeaders);
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    request.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ");
    if (parts.length < 2) {
      socket.close();
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new RawWebSocket(socket, in, out, status, headers);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      throw new EOFException("the server closed the connection");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** The HTTP status of the upgrade response (101 when it was accepted). */
  public int status() {
    return status;
  }

  /** A response header, by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The next frame, waiting at most {@code wait}; null when the server ended the TCP
   * connection (EOF or reset) first. Fails with {@link SocketTimeoutException} on timeout.
   */
  public Frame readFrame(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return null;
    }
    if (first == -1) {
      return null;
    }
    try {
      int second = in.readUnsignedByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(first & 0x0F, payload);
    } catch (EOFException e) {
      return null;
    }
  }

  /** Sends one masked text frame, as a client must. */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    }
    byte[] mask = {1, 2, 3, 4};
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
