package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.JarProcess;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An orderly restart on the same data folder keeps sessions, their names, history and the guest counter. */
@Timeout(180)
class RestartIT {
  private static final Pattern GUEST = Pattern.compile("user(\\d+)");
  private static final String ROOM = "restart";

  @TempDir
  Path data;

  private String[] flags() {
    return new String[] {"--data", data.toString(), "--send-rate", "0",
        "--max-conns-per-ip", "0", "--handshakes-per-ip", "0", "--shutdown-timeout", "10"};
  }

  private static WsClient browser(int port, String sid) {
    return WsClient.connect(port, "/ws", new WebSocketConnectOptions().addHeader("Cookie", "parley_sid=" + sid));
  }

  private static WsClient guest(int port) {
    return WsClient.connect(port, "/ws", new WebSocketConnectOptions());
  }

  /** The answer to one command, whatever its type (the reply or an error), by its ref. */
  private static JsonNode reply(WsClient client, String ref) {
    return client.await(f -> ref.equals(f.path("ref").asText()));
  }

  private static long guestNumber(String name) {
    Matcher m = GUEST.matcher(name);
    assertTrue(m.matches(), "a guest name: " + name);
    return Long.parseLong(m.group(1));
  }

  private static void stopOrderly(JarProcess parley) throws InterruptedException {
    parley.terminate();
    assertTrue(parley.awaitExit(Duration.ofSeconds(20)), "the process exits after SIGTERM: " + parley.log());
  }

  @Test
  void aBrowserSessionKeepsItsNameAndResumesItsRoomWithSinceAfterAnOrderlyRestart() throws Exception {
    String sid;
    long seen;
    List<String> after = new ArrayList<>();
    List<Long> afterIds = new ArrayList<>();
    try (JarProcess first = JarProcess.start(flags())) {
      sid = JarHttp.newSession(first.port());
      WsClient ada = browser(first.port(), sid);
      guestNumber(ada.await("hello").get("name").asText());
      JsonNode nick = reply(ada, ada.send("type", "nick", "name", "ada"));
      assertEquals("nick", nick.get("type").asText(), nick.toString());
      assertEquals("ada", nick.get("to").asText());
      ada.await("joined", ada.send("type", "join", "room", ROOM));
      seen = ada.await("ack", ada.send("type", "send", "room", ROOM, "text", "before the restart", "cid", "a1"))
          .get("id").asLong();
      for (int i = 1; i <= 3; i++) {
        String text = "after " + seen + " number " + i;
        after.add(text);
        afterIds.add(ada.await("ack", ada.send("type", "send", "room", ROOM, "text", text, "cid", "b" + i))
            .get("id").asLong());
      }
      assertEquals(List.of(seen + 1, seen + 2, seen + 3), afterIds, "consecutive ids");
      stopOrderly(first);
      assertEquals((short) 1001, ada.awaitClose());
    }

    try (JarProcess second = JarProcess.start(flags())) {
      WsClient ada = browser(second.port(), sid);
      assertEquals("ada", ada.await("hello").get("name").asText(), "the session's name survives the restart");
      JsonNode joined = ada.await("joined", ada.send("type", "join", "room", ROOM, "since", seen));
      assertTrue(joined.path("recovered").asBoolean(), joined.toString());
      assertEquals(seen + 3, joined.get("lastId").asLong());
      List<Long> ids = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (JsonNode m : joined.get("messages")) {
        ids.add(m.get("id").asLong());
        texts.add(m.get("text").asText());
        assertEquals("ada", m.get("from").asText());
      }
      assertEquals(afterIds, ids, "exactly the messages after since");
      assertEquals(after, texts);

      JsonNode ack = ada.await("ack", ada.send("type", "send", "room", ROOM, "text", "back again", "cid", "c1"));
      assertEquals(seen + 4, ack.get("id").asLong(), "the next id follows on");
      JsonNode retried = ada.await("ack", ada.send("type", "send", "room", ROOM, "text", "back again", "cid", "c1"));
      assertEquals(seen + 4, retried.get("id").asLong(), "a repeated cid is answered with the original ack");
      ada.close();
    }
  }

  @Test
  void guestNumbersKeepRisingAndAnAbsentSessionStillHoldsItsNameAfterARestart() throws Exception {
    long highest = 0;
    String sid;
    try (JarProcess first = JarProcess.start(flags())) {
      sid = JarHttp.newSession(first.port());
      WsClient ada = browser(first.port(), sid);
      highest = Math.max(highest, guestNumber(ada.await("hello").get("name").asText()));
      assertEquals("nick", reply(ada, ada.send("type", "nick", "name", "ada")).get("type").asText());
      for (int i = 0; i < 5; i++) {
        WsClient guest = guest(first.port());
        highest = Math.max(highest, guestNumber(guest.await("hello").get("name").asText()));
        guest.close();
      }
      ada.close();
      stopOrderly(first);
    }

    try (JarProcess second = JarProcess.start(flags())) {
      // Ada has no socket open now; her session still holds the name (7 days), also across the restart.
      String otherSid = JarHttp.newSession(second.port());
      WsClient other = browser(second.port(), otherSid);
      long otherNumber = guestNumber(other.await("hello").get("name").asText());
      assertTrue(otherNumber > highest, "user" + otherNumber + " after user" + highest + " before the restart");
      JsonNode taken = reply(other, other.send("type", "nick", "name", "ADA"));
      assertEquals("error", taken.get("type").asText(), taken.toString());
      assertEquals("name_taken", taken.get("code").asText(), taken.toString());

      WsClient guest = guest(second.port());
      long guestNumber = guestNumber(guest.await("hello").get("name").asText());
      assertTrue(guestNumber > otherNumber, "user" + guestNumber + " after user" + otherNumber);

      WsClient ada = browser(second.port(), sid);
      assertEquals("ada", ada.await("hello").get("name").asText());
      JsonNode stillTaken = reply(guest, guest.send("type", "nick", "name", "Ada"));
      assertEquals("name_taken", stillTaken.path("code").asText(), stillTaken.toString());
      other.close();
      guest.close();
      ada.close();
    }
  }
}
