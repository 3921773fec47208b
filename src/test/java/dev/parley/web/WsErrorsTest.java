package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static dev.parley.testing.WsSteps.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.chat.Limits;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every error code of the JSON protocol, with the command's ref echoed, the order the checks
 * run in, and that no error closes the connection. Runs with the default limits.
 *
 * <p>{@code unavailable} is not covered here: the in-memory store never fails.
 */
@Timeout(60)
class WsErrorsTest extends ServerPerTest {
  // ---------------------------------------------------------------- helpers

  /** The next frame, which must be an error with this code answering {@code ref}. */
  private static JsonNode error(WsClient client, String ref, String code) {
    JsonNode frame = client.await(f -> !unprompted(f));
    assertEquals("error", frame.path("type").asText(), "expected " + code + " for " + ref + ": " + frame);
    assertEquals(code, frame.path("code").asText(), frame.toString());
    assertEquals(ref, frame.path("ref").asText(), "the error echoes the ref: " + frame);
    assertTrue(frame.path("message").isTextual() && !frame.path("message").asText().isBlank(),
        "an error has human words: " + frame);
    return frame;
  }

  /** The next frame, which must be a bad_request without a ref (the frame had none to echo). */
  private static void unreferencedBadRequest(WsClient client, String why) {
    JsonNode frame = client.next();
    assertEquals("error", frame.path("type").asText(), why + ": " + frame);
    assertEquals("bad_request", frame.path("code").asText(), why + ": " + frame);
    assertFalse(frame.has("ref"), why + ": " + frame);
  }

  /** Frames the server sends on its own (live traffic), as opposed to replies to commands. */
  private static boolean unprompted(JsonNode frame) {
    String type = frame.path("type").asText();
    return type.equals("message") || type.equals("presence") || type.equals("typing")
        || (type.equals("nick") && !frame.has("ref"));
  }

  /** Sends a raw frame carrying {@code "ref":ref} and expects the error {@code code} for it. */
  private static void rawError(WsClient client, String ref, String code, String frame) {
    client.sendText(frame);
    error(client, ref, code);
  }

  /** Proves the connection still serves commands. */
  private static void stillWorks(WsClient client) {
    String ref = client.send("type", "who", "room", "general");
    client.await("members", ref);
    assertFalse(client.isClosed(), "an error never closes the connection");
  }

  /**
   * A server with the default bursts whose buckets practically never refill, so that a test
   * can empty one and rely on it staying empty.
   */
  private static TestServer stingy() {
    return TestServer.start(c -> TestServer.withLimits(c, new Limits(4000, 20, 0.001, 50, 0.001, 50)));
  }

  private static String repeat(String s, int times) {
    return s.repeat(times);
  }

  // ---------------------------------------------------------------- bad_request

  @Test
  void framesThatAreNotAJsonObjectAreBadRequests() {
    try (WsClient client = connected(server)) {
      client.sendText("hello there");
      unreferencedBadRequest(client, "not JSON");
      client.sendText("{\"type\":\"who\",\"room\":");
      unreferencedBadRequest(client, "truncated JSON");
      client.sendText("[{\"type\":\"who\",\"room\":\"general\"}]");
      unreferencedBadRequest(client, "an array");
      client.sendText("\"who\"");
      unreferencedBadRequest(client, "a string");
      client.sendText("42");
      unreferencedBadRequest(client, "a number");
      client.sendText("null");
      unreferencedBadRequest(client, "null");
      client.sendText("");
      unreferencedBadRequest(client, "an empty frame");
      client.sendBinary("{\"type\":\"who\",\"room\":\"general\"}".getBytes(StandardCharsets.UTF_8));
      unreferencedBadRequest(client, "a binary frame");
      stillWorks(client);
    }
  }

  @Test
  void aFrameWithContentAfterItsObjectIsABadRequest() {
    try (WsClient client = connected(server)) {
      client.sendText("{\"type\":\"who\",\"room\":\"general\",\"ref\":\"t1\"} {\"type\":\"join\"}");
      JsonNode frame = client.next();
      assertEquals("error", frame.path("type").asText(), "a frame is ONE JSON object, not two: " + frame);
      assertEquals("bad_request", frame.path("code").asText(), frame.toString());
      stillWorks(client);
    }
  }

  @Test
  void unknownTypesAndMissingFieldsAreBadRequestsThatEchoTheRef() {
    try (WsClient client = connected(server)) {
      rawError(client, "u1", "bad_request", "{\"type\":\"dance\",\"ref\":\"u1\"}");
      rawError(client, "u2", "bad_request", "{\"ref\":\"u2\",\"room\":\"general\"}");
      rawError(client, "u3", "bad_request", "{\"type\":\"join\",\"ref\":\"u3\"}");
      rawError(client, "u4", "bad_request", "{\"type\":\"leave\",\"ref\":\"u4\"}");
      rawError(client, "u5", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"ref\":\"u5\"}");
      rawError(client, "u6", "bad_request", "{\"type\":\"send\",\"text\":\"hi\",\"ref\":\"u6\"}");
      rawError(client, "u7", "bad_request", "{\"type\":\"typing\",\"ref\":\"u7\"}");
      rawError(client, "u8", "bad_request", "{\"type\":\"nick\",\"ref\":\"u8\"}");
      rawError(client, "u9", "bad_request", "{\"type\":\"history\",\"ref\":\"u9\"}");
      rawError(client, "u10", "bad_request", "{\"type\":\"who\",\"ref\":\"u10\"}");
      rawError(client, "u11", "bad_request", "{\"type\":\"join\",\"room\":null,\"ref\":\"u11\"}");
      rawError(client, "u12", "bad_request", "{\"type\":\"JOIN\",\"room\":\"general\",\"ref\":\"u12\"}");
      stillWorks(client);
    }
  }

  @Test
  void fieldsOfTheWrongJsonTypeAreBadRequests() {
    try (WsClient client = connected(server)) {
      rawError(client, "w1", "bad_request", "{\"type\":\"join\",\"room\":5,\"ref\":\"w1\"}");
      rawError(client, "w2", "bad_request", "{\"type\":\"join\",\"room\":[\"general\"],\"ref\":\"w2\"}");
      rawError(client, "w3", "bad_request", "{\"type\":\"join\",\"room\":\"general\",\"since\":\"3\",\"ref\":\"w3\"}");
      rawError(client, "w4", "bad_request", "{\"type\":\"join\",\"room\":\"general\",\"since\":1.5,\"ref\":\"w4\"}");
      rawError(client, "w5", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":7,\"ref\":\"w5\"}");
      rawError(client, "w6", "bad_request",
          "{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi\",\"cid\":7,\"ref\":\"w6\"}");
      rawError(client, "w7", "bad_request", "{\"type\":\"nick\",\"name\":true,\"ref\":\"w7\"}");
      rawError(client, "w8", "bad_request", "{\"type\":\"history\",\"room\":\"general\",\"limit\":\"10\",\"ref\":\"w8\"}");
      rawError(client, "w9", "bad_request", "{\"type\":\"history\",\"room\":\"general\",\"before\":{},\"ref\":\"w9\"}");
      rawError(client, "w10", "bad_request", "{\"type\":7,\"room\":\"general\",\"ref\":\"w10\"}");
      client.sendText("{\"type\":\"who\",\"room\":\"general\",\"ref\":7}");
      unreferencedBadRequest(client, "a ref that is not a string");
      stillWorks(client);
    }
  }

  @Test
  void refAndCidAreLimitedToSixtyFourCharacters() {
    try (WsClient client = connected(server)) {
      join(client, "general");
      String ref64 = repeat("r", 64);
      client.await("members", client.send("type", "who", "room", "general", "ref", ref64));

      client.send("type", "who", "room", "general", "ref", repeat("r", 65));
      JsonNode tooLongRef = client.next();
      assertEquals("error", tooLongRef.path("type").asText(), tooLongRef.toString());
      assertEquals("bad_request", tooLongRef.path("code").asText(), tooLongRef.toString());

      String ok = client.send("type", "send", "room", "general", "text", "fine", "cid", repeat("c", 64));
      client.await("ack", ok);
      String tooLongCid = client.send("type", "send", "room", "general", "text", "no", "cid", repeat("c", 65));
      error(client, tooLongCid, "bad_request");
      stillWorks(client);
    }
  }

  @Test
  void aTextWithAControlCharacterOrAnUnpairedSurrogateIsABadRequest() {
    try (WsClient client = connected(server)) {
      join(client, "general");
      rawError(client, "t1", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"a\\u0001b\",\"ref\":\"t1\"}");
      rawError(client, "t2", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"a\\ud800b\",\"ref\":\"t2\"}");
      rawError(client, "t3", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"a\\udc00\",\"ref\":\"t3\"}");
      rawError(client, "t4", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"end\\ud83d\",\"ref\":\"t4\"}");
      rawError(client, "t5", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"\\u0000\",\"ref\":\"t5\"}");
      rawError(client, "t6", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"del\\u007f\",\"ref\":\"t6\"}");
      rawError(client, "t7", "bad_request", "{\"type\":\"send\",\"room\":\"general\",\"text\":\"esc\\u001b[31m\",\"ref\":\"t7\"}");
      // Tab, line feed, carriage return and a proper surrogate pair are fine.
      String fine = client.send("type", "send", "room", "general", "text", "a\tb\r\nc 😀");
      client.await("ack", fine);
      stillWorks(client);
    }
  }

  @Test
  void outOfRangeHistoryAndJoinNumbersAreBadRequests() {
    try (WsClient client = connected(server)) {
      error(client, client.send("type", "history", "room", "general", "limit", 0), "bad_request");
      error(client, client.send("type", "history", "room", "general", "limit", 101), "bad_request");
      error(client, client.send("type", "history", "room", "general", "limit", -5), "bad_request");
      error(client, client.send("type", "history", "room", "general", "before", 0), "bad_request");
      error(client, client.send("type", "join", "room", "general", "since", -1), "bad_request");
      client.await("history", client.send("type", "history", "room", "general", "limit", 100));
      client.await("history", client.send("type", "history", "room", "general", "limit", 1, "before", 1));
      stillWorks(client);
    }
  }

  // ---------------------------------------------------------------- the other codes

  @Test
  void badRoomNamesAreInvalidRoom() {
    try (WsClient client = connected(server)) {
      for (String room : List.of("General", "-dash", "_under", "", "a b", repeat("a", 33), "café", "a.b")) {
        error(client, client.send("type", "join", "room", room), "invalid_room");
      }
      error(client, client.send("type", "send", "room", "Bad Room", "text", "hi"), "invalid_room");
      error(client, client.send("type", "leave", "room", "BAD"), "invalid_room");
      error(client, client.send("type", "typing", "room", "BAD"), "invalid_room");
      error(client, client.send("type", "who", "room", "BAD"), "invalid_room");
      error(client, client.send("type", "history", "room", "BAD"), "invalid_room");
      client.await("joined", client.send("type", "join", "room", repeat("a", 32)));
      client.await("joined", client.send("type", "join", "room", "0-9_z"));
      stillWorks(client);
    }
  }

  @Test
  void badNamesAndGuestNamesAreInvalidName() {
    try (WsClient client = connected(server)) {
      for (String name : List.of("user12", "USER7", "User0", "", "a b", repeat("n", 33), "émile", "a/b", "user12 ")) {
        error(client, client.send("type", "nick", "name", name), "invalid_name");
      }
      String ok = client.send("type", "nick", "name", repeat("n", 32));
      assertEquals(repeat("n", 32), client.await("nick", ok).path("to").asText());
      String ok2 = client.send("type", "nick", "name", "user12x");
      assertEquals("user12x", client.await("nick", ok2).path("to").asText(), "only user<digits> is reserved");
      stillWorks(client);
    }
  }

  @Test
  void sendTypingAndLeaveNeedTheRoomJoinedButWhoAndHistoryDoNot() {
    try (WsClient client = connected(server)) {
      error(client, client.send("type", "send", "room", "general", "text", "hi"), "not_joined");
      error(client, client.send("type", "typing", "room", "general"), "not_joined");
      error(client, client.send("type", "leave", "room", "general"), "not_joined");
      client.await("members", client.send("type", "who", "room", "general"));
      client.await("history", client.send("type", "history", "room", "general"));
      join(client, "general");
      client.await("left", client.send("type", "leave", "room", "general"));
      error(client, client.send("type", "leave", "room", "general"), "not_joined");
      stillWorks(client);
    }
  }

  @Test
  void aFiftyFirstRoomIsTooManyRoomsEvenWithNoCommandTokenLeft() {
    try (WsClient client = connected(server)) {
      for (int i = 0; i < 50; i++) {
        join(client, "room" + i);
      }
      error(client, client.send("type", "join", "room", "room50"), "too_many_rooms");
      // Sends have a bucket of their own: the connection still works.
      client.await("ack", client.send("type", "send", "room", "room0", "text", "still here"));
      assertFalse(client.isClosed());
    }
  }

  @Test
  void blankTextsAreEmpty() {
    try (WsClient client = connected(server)) {
      join(client, "general");
      for (String text : List.of("", " ", "   \t\n\r ", "\u00a0", "\u3000", "\u2003\u2029")) {
        error(client, client.send("type", "send", "room", "general", "text", text), "empty");
      }
      client.await("ack", client.send("type", "send", "room", "general", "text", " x "));
      stillWorks(client);
    }
  }

  @Test
  void moreThanFourThousandCodePointsIsTooLong() {
    try (WsClient client = connected(server)) {
      join(client, "general");
      error(client, client.send("type", "send", "room", "general", "text", repeat("a", 4001)), "too_long");
      error(client, client.send("type", "send", "room", "general", "text", repeat("😀", 4001)), "too_long");
      client.await("ack", client.send("type", "send", "room", "general", "text", repeat("a", 4000)));
      // 4000 code points are 8000 UTF-16 units, and still fine.
      client.await("ack", client.send("type", "send", "room", "general", "text", repeat("😀", 4000)));
      stillWorks(client);
    }
  }

  @Test
  void theTwentyFirstSendOfABurstIsRateLimitedAndNotStored() {
    try (WsClient client = connected(server)) {
      join(client, "flood");
      List<String> refs = new ArrayList<>();
      StringBuilder burst = new StringBuilder();
      for (int i = 1; i <= 21; i++) {
        String ref = "s" + i;
        refs.add(ref);
        client.sendText("{\"type\":\"send\",\"room\":\"flood\",\"text\":\"m" + i + "\",\"ref\":\"" + ref + "\"}");
      }
      Map<String, JsonNode> replies = new HashMap<>();
      while (replies.size() < 21) {
        JsonNode frame = client.next();
        String type = frame.path("type").asText();
        if (type.equals("ack") || type.equals("error")) {
          replies.put(frame.path("ref").asText(), frame);
        }
      }
      for (int i = 0; i < 20; i++) {
        assertEquals("ack", replies.get(refs.get(i)).path("type").asText(), replies.get(refs.get(i)).toString());
      }
      JsonNode last = replies.get("s21");
      assertEquals("error", last.path("type").asText(), "the 21st send of a burst: " + last);
      assertEquals("rate_limited", last.path("code").asText(), last.toString());

      JsonNode history = client.await("history", client.send("type", "history", "room", "flood"));
      assertEquals(20, history.path("messages").size(), "the refused send was not stored: " + history);
      assertEquals("m20", history.path("messages").get(19).path("text").asText());
      assertFalse(client.isClosed());
    }
  }

  @Test
  void theFiftyFirstCommandOfABurstIsRateLimitedAndAnOverLimitTypingIsDroppedSilently() {
    try (TestServer slow = stingy(); WsClient client = connected(slow); WsClient other = connected(slow)) {
      join(other, "general");
      for (int i = 0; i < 49; i++) {
        client.send("type", "who", "room", "general");
      }
      client.await("joined", client.send("type", "join", "room", "general"));
      error(client, client.send("type", "who", "room", "general"), "rate_limited");
      String typing = client.send("type", "typing", "room", "general");
      // Sends have a bucket of their own: the ack proves the typing was handled, without a reply.
      String sent = client.send("type", "send", "room", "general", "text", "after typing");
      JsonNode next = client.next();
      assertEquals("ack", next.path("type").asText(), "an over-limit typing gets no error: " + next);
      assertEquals(sent, next.path("ref").asText());
      assertFalse(typing.equals(next.path("ref").asText()));
      JsonNode seen = other.await(f -> !"presence".equals(f.path("type").asText()));
      assertEquals("message", seen.path("type").asText(), "the dropped typing was not relayed: " + seen);
    }
  }

  @Test
  void aNameInUseIsNameTakenCaseInsensitively() {
    try (WsClient alice = connected(server); WsClient other = connected(server)) {
      alice.await("nick", alice.send("type", "nick", "name", "Alice"));
      error(other, other.send("type", "nick", "name", "alice"), "name_taken");
      error(other, other.send("type", "nick", "name", "ALICE"), "name_taken");
      error(other, other.send("type", "nick", "name", "Alice"), "name_taken");
      stillWorks(other);
    }
  }

  // ---------------------------------------------------------------- order of the checks

  @Test
  void shapeComesBeforeRoomPatternWhichComesBeforeMembershipWhichComesBeforeText() {
    try (WsClient client = connected(server)) {
      rawError(client, "o1", "bad_request",
          "{\"type\":\"send\",\"room\":\"Bad Room\",\"text\":\"\\u0001\",\"ref\":\"o1\"}");
      error(client, client.send("type", "send", "room", "Bad Room", "text", ""), "invalid_room");
      error(client, client.send("type", "send", "room", "not-joined", "text", ""), "not_joined");
      error(client, client.send("type", "send", "room", "not-joined", "text", repeat("a", 4001)), "not_joined");
      error(client, client.send("type", "history", "room", "Bad Room", "limit", 0), "bad_request");
      error(client, client.send("type", "join", "room", "Bad Room", "since", -1), "bad_request");
      stillWorks(client);
    }
  }

  @Test
  void textChecksComeBeforeTheRateAndTheRateBeforeNames() {
    try (TestServer slow = stingy(); WsClient client = connected(slow); WsClient holder = connected(slow)) {
      holder.await("nick", holder.send("type", "nick", "name", "taken"));
      join(client, "general");
      String last = null;
      for (int i = 0; i < 20; i++) {
        last = client.send("type", "send", "room", "general", "text", "m" + i);
      }
      client.await("ack", last);
      error(client, client.send("type", "send", "room", "general", "text", "  "), "empty");
      error(client, client.send("type", "send", "room", "general", "text", repeat("a", 4001)), "too_long");
      error(client, client.send("type", "send", "room", "general", "text", "ok"), "rate_limited");
      error(client, client.send("type", "send", "room", "Bad", "text", "ok"), "invalid_room");
      error(client, client.send("type", "send", "room", "elsewhere", "text", "ok"), "not_joined");

      for (int i = 0; i < 48; i++) {
        client.send("type", "who", "room", "general");
      }
      client.await("members", client.send("type", "who", "room", "general"));
      error(client, client.send("type", "who", "room", "general"), "rate_limited");
      error(client, client.send("type", "nick", "name", "user99"), "invalid_name");
      error(client, client.send("type", "join", "room", "Bad"), "invalid_room");
      error(client, client.send("type", "nick", "name", "taken"), "rate_limited");
      assertFalse(client.isClosed());
    }
  }

  // ---------------------------------------------------------------- errors and the connection

  @Test
  void errorsOtherThanBadRequestNeverCloseTheConnectionHoweverMany() {
    try (WsClient client = connected(server)) {
      for (int i = 0; i < 120; i++) {
        client.send("type", "join", "room", "Not A Room");
      }
      for (int i = 0; i < 119; i++) {
        JsonNode frame = client.next();
        assertEquals("invalid_room", frame.path("code").asText(), frame.toString());
      }
      error(client, "r120", "invalid_room");
      stillWorks(client);
    }
  }

  @Test
  void fiftyBadRequestsAreAnsweredAndTheFiftyFirstWithinTenSecondsClosesWith1008() {
    try (WsClient client = connected(server)) {
      for (int i = 1; i <= 50; i++) {
        client.sendText("{\"type\":\"dance\",\"ref\":\"b" + i + "\"}");
        error(client, "b" + i, "bad_request");
      }
      assertFalse(client.isClosed(), "50 bad frames are answered");
      client.sendText("not json");
      assertEquals((short) 1008, client.awaitClose(), "the 51st bad frame within 10 s closes with 1008");
    }
  }

  @Test
  void onlyAcceptedSendsAndCommandsTakeATokenFromTheirBuckets() {
    try (TestServer slow = stingy(); WsClient client = connected(slow)) {
      for (int i = 0; i < 60; i++) {
        error(client, client.send("type", "join", "room", "Not A Room"), "invalid_room");
        error(client, client.send("type", "send", "room", "not-joined", "text", "x"), "not_joined");
      }
      join(client, "general");
      for (int i = 0; i < 30; i++) {
        error(client, client.send("type", "send", "room", "general", "text", " "), "empty");
      }
      String last = null;
      for (int i = 0; i < 20; i++) {
        last = client.send("type", "send", "room", "general", "text", "m" + i);
      }
      client.await("ack", last);
      error(client, client.send("type", "send", "room", "general", "text", "one too many"), "rate_limited");
      for (int i = 0; i < 48; i++) {
        client.send("type", "who", "room", "general");
      }
      client.await("members", client.send("type", "who", "room", "general"));
      error(client, client.send("type", "who", "room", "general"), "rate_limited");
    }
  }

  @Test
  void atFiftyRoomsARejoinIsStillAllowedAndALeaveMakesRoomForAnother() {
    try (TestServer roomy = TestServer.start(c -> TestServer.withLimits(c, new Limits(4000, 20, 2, 500, 10, 50)));
        WsClient client = connected(roomy)) {
      for (int i = 0; i < 50; i++) {
        join(client, "room" + i);
      }
      error(client, client.send("type", "join", "room", "room50"), "too_many_rooms");
      join(client, "room7");
      client.await("left", client.send("type", "leave", "room", "room7"));
      join(client, "room50");
      error(client, client.send("type", "join", "room", "room7"), "too_many_rooms");
    }
  }
}
