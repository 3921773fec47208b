package dev.parley.client;

import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Where the client connects: a {@code ws://} or {@code wss://} URL. {@code http://} and {@code https://}
 * map to them, a URL without a scheme is {@code ws://}, and a URL without a path gets {@code /ws}; so
 * {@code localhost:8080}, {@code http://localhost:8080/} and {@code ws://localhost:8080/ws} are the same.
 */
record ServerAddress(boolean tls, String host, int port, String path) {

  static ServerAddress parse(String url) {
    String text = url.strip();
    if (!text.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      text = "ws://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    boolean tls = switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
      case "ws", "http" -> false;
      case "wss", "https" -> true;
      default -> throw new IllegalArgumentException(
          "unsupported scheme " + uri.getScheme() + ": use ws://, wss://, http:// or https://");
    };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + url);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
        ? "/ws" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new ServerAddress(tls, host, port, path);
  }

  WebSocketConnectOptions options() {
    return new WebSocketConnectOptions().setSsl(tls).setHost(host).setPort(port).setURI(path);
  }

  /** The URL in its {@code ws://} form. */
  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "wss://" : "ws://") + h + ":" + port + path;
  }

  /** Lets picocli report a bad URL as a usage error. */
  static final class Converter implements CommandLine.ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
