package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.Probe;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP endpoints besides the page: health, readiness, metrics and the rooms API. */
@Timeout(60)
class HttpApiTest extends ServerPerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  private JsonNode getJson(String path, int status) {
    HttpResponse<String> response = Probe.get(server, path);
    assertEquals(status, response.statusCode(), path + " answered " + response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        path + " Content-Type " + response.headers().firstValue("Content-Type"));
    return json(response);
  }

  private static JsonNode room(JsonNode rooms, String name) {
    for (JsonNode room : rooms) {
      if (name.equals(room.path("name").asText())) {
        return room;
      }
    }
    throw new AssertionError("no room " + name + " in " + rooms);
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("messages").forEach(m -> ids.add(m.path("id").asLong()));
    return ids;
  }

  @Test
  void healthIsUp() {
    assertEquals("{\"status\":\"UP\"}", getJson("/health", 200).toString());
  }

  @Test
  void readyIsUpWhenTheStoreAndBrokerAnswer() {
    assertEquals("{\"status\":\"UP\"}", getJson("/ready", 200).toString());
  }

  @Test
  void metricsAreInPrometheusTextAndCountConnectionsAndMessages() {
    try (WsClient client = WsClient.json(server)) {
      client.await("joined", client.send("type", "join", "room", "general"));
      client.await("ack", client.send("type", "send", "room", "general", "text", "counted"));
      HttpResponse<String> response = Probe.get(server, "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String page = response.body();
      assertEquals(1.0, Probe.value(page, "parley_connections").orElseThrow(), page);
      assertEquals(1.0, Probe.value(page, "parley_messages_in_total").orElseThrow(), page);
      assertTrue(Probe.value(page, "parley_deliveries_out_total").orElseThrow() >= 1.0, page);
      assertEquals(0.0, Probe.value(page, "parley_slow_consumer_closes_total").orElseThrow(), page);
    }
  }

  @Test
  void metricsCountErrorsByCode() {
    assertEquals(0.0, Probe.metric(server, "parley_errors_total{code=\"bad_request\"}"));
    try (WsClient client = WsClient.json(server)) {
      String ref = client.send("type", "what is this");
      assertEquals("bad_request", client.await("error", ref).path("code").asText());
      assertEquals(1.0, Probe.metric(server, "parley_errors_total{code=\"bad_request\"}"));
      assertEquals(0.0, Probe.metric(server, "parley_errors_total{code=\"not_joined\"}"));
    }
  }

  @Test
  void roomsListsGeneralEvenWhenNobodyIsThere() {
    JsonNode rooms = getJson("/api/rooms", 200);
    assertTrue(rooms.isArray());
    JsonNode general = room(rooms, "general");
    assertEquals(0, general.path("members").asInt());
    assertEquals(0, general.path("lastId").asLong());
  }

  @Test
  void roomsShowMembersAndLastIdAfterAJoinAndASend() {
    try (WsClient a = WsClient.json(server); WsClient b = WsClient.json(server)) {
      a.await("joined", a.send("type", "join", "room", "general"));
      b.await("joined", b.send("type", "join", "room", "lobby"));
      a.await("ack", a.send("type", "send", "room", "general", "text", "one"));
      a.await("ack", a.send("type", "send", "room", "general", "text", "two"));
      JsonNode rooms = getJson("/api/rooms", 200);
      assertEquals(1, room(rooms, "general").path("members").asInt(), rooms.toString());
      assertEquals(2, room(rooms, "general").path("lastId").asLong(), rooms.toString());
      assertEquals(1, room(rooms, "lobby").path("members").asInt(), rooms.toString());
      assertEquals(0, room(rooms, "lobby").path("lastId").asLong(), rooms.toString());
      List<String> names = new ArrayList<>();
      rooms.forEach(r -> names.add(r.path("name").asText()));
      assertEquals(names.stream().sorted().toList(), names, "sorted by name");
    }
  }

  @Test
  void roomMessagesArePagedWithBeforeLimitAndMore() {
    try (WsClient client = WsClient.json(server)) {
      client.await("joined", client.send("type", "join", "room", "paging"));
      for (int i = 1; i <= 5; i++) {
        client.await("ack", client.send("type", "send", "room", "paging", "text", "m" + i));
      }
    }
    JsonNode newest = getJson("/api/rooms/paging/messages?limit=2", 200);
    assertEquals("paging", newest.path("room").asText());
    assertEquals(List.of(4L, 5L), ids(newest));
    assertTrue(newest.path("more").asBoolean());
    JsonNode m5 = newest.path("messages").get(1);
    assertEquals("paging", m5.path("room").asText());
    assertEquals("m5", m5.path("text").asText());
    assertTrue(m5.path("from").asText().matches("user\\d+"), m5.toString());
    assertTrue(m5.path("ts").asLong() > 0, m5.toString());

    JsonNode older = getJson("/api/rooms/paging/messages?before=4&limit=2", 200);
    assertEquals(List.of(2L, 3L), ids(older));
    assertTrue(older.path("more").asBoolean());
    JsonNode oldest = getJson("/api/rooms/paging/messages?before=2&limit=2", 200);
    assertEquals(List.of(1L), ids(oldest));
    assertFalse(oldest.path("more").asBoolean());
    JsonNode all = getJson("/api/rooms/paging/messages", 200);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(all));
    assertFalse(all.path("more").asBoolean());
  }

  @Test
  void aValidButUnknownRoomHasNoMessages() {
    JsonNode page = getJson("/api/rooms/nobody-here/messages", 200);
    assertEquals("nobody-here", page.path("room").asText());
    assertEquals(0, page.path("messages").size());
    assertFalse(page.path("more").asBoolean());
  }

  @Test
  void anInvalidRoomNameIsA400WithCodeInvalidRoom() {
    for (String room : List.of("General", "-dash", "a".repeat(33), "sp%20ace")) {
      JsonNode problem = getJson("/api/rooms/" + room + "/messages", 400);
      assertEquals("invalid_room", problem.path("code").asText(), room);
      assertFalse(problem.path("message").asText().isBlank(), room);
    }
  }

  @Test
  void aBadLimitOrBeforeIsA400WithCodeBadRequest() {
    for (String query : List.of("limit=0", "limit=101", "limit=abc", "limit=", "limit=-1", "before=0", "before=x",
        "before=-5", "limit=1.5")) {
      JsonNode problem = getJson("/api/rooms/general/messages?" + query, 400);
      assertEquals("bad_request", problem.path("code").asText(), query);
    }
    assertEquals(0, getJson("/api/rooms/general/messages?limit=100&before=1", 200).path("messages").size());
  }

  @Test
  void apiResponsesCarryTheSecurityHeaders() {
    for (String path : List.of("/health", "/api/rooms", "/api/rooms/NOPE/messages", "/metrics")) {
      HttpResponse<String> response = Probe.get(server, path);
      assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
          path);
      assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
    }
  }
}
