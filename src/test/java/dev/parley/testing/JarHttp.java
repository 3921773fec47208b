package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Plain HTTP against a server on a port (such as a {@link JarProcess}): GETs, the session cookie, paged history. */
public final class JarHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JarHttp() {}

  /** GET {@code path} on 127.0.0.1:{@code port}, with optional header name/value pairs. */
  public static HttpResponse<String> get(int port, String path, String... headers) {
    return Http.get("http://127.0.0.1:" + port + path, path, headers);
  }

  /** GET {@code path} and parse the body as JSON, insisting on status 200. */
  public static JsonNode getJson(int port, String path) {
    HttpResponse<String> response = get(port, path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " did not answer JSON: " + response.body(), e);
    }
  }

  /** GET / as a browser without a cookie does; the value of the {@code parley_sid} cookie it is given. */
  public static String newSession(int port) {
    HttpResponse<String> page = get(port, "/");
    if (page.statusCode() != 200) {
      throw new AssertionError("GET / answered " + page.statusCode());
    }
    return sessionCookie(page).orElseThrow(() -> new AssertionError("GET / set no parley_sid: " + page.headers()));
  }

  /** The {@code parley_sid} value a response sets, if any. */
  public static Optional<String> sessionCookie(HttpResponse<?> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0].trim();
      if (pair.startsWith("parley_sid=")) {
        return Optional.of(pair.substring("parley_sid=".length()));
      }
    }
    return Optional.empty();
  }

  /**
   * Every message of a room, oldest first, read by paging {@code /api/rooms/{room}/messages}
   * backwards 100 at a time until {@code more} is false.
   */
  public static List<JsonNode> allMessages(int port, String room) {
    List<JsonNode> newestFirst = new ArrayList<>();
    String path = "/api/rooms/" + room + "/messages?limit=100";
    for (int pages = 0; pages < 100_000; pages++) {
      JsonNode page = getJson(port, path);
      List<JsonNode> messages = new ArrayList<>();
      page.get("messages").forEach(messages::add);
      Collections.reverse(messages);
      newestFirst.addAll(messages);
      if (!page.get("more").asBoolean()) {
        Collections.reverse(newestFirst);
        return newestFirst;
      }
      if (messages.isEmpty()) {
        throw new AssertionError("an empty page says there are more: " + page);
      }
      path = "/api/rooms/" + room + "/messages?limit=100&before=" + messages.get(messages.size() - 1).get("id").asLong();
    }
    throw new AssertionError("paging " + room + " did not end");
  }
}
