package dev.parley.web;

import static dev.parley.testing.WsSteps.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ServerPerTest;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unknown fields are ignored, and an optional field sent as {@code null} counts as absent. */
@Timeout(60)
class WsFieldsTest extends ServerPerTest {
  WsFieldsTest() {
    super(TestServer::unlimited);
  }

  @Test
  void unknownFieldsAreIgnoredOnEveryCommand() {
    try (WsClient client = connected(server)) {
      String extra = ",\"colour\":\"blue\",\"nested\":{\"a\":[1,2,{\"b\":null}]},\"n\":1.5,\"flag\":true";
      client.sendText("{\"type\":\"join\",\"room\":\"open\",\"ref\":\"f1\"" + extra + "}");
      client.await("joined", "f1");
      client.sendText("{\"type\":\"send\",\"room\":\"open\",\"text\":\"hi\",\"ref\":\"f2\"" + extra + "}");
      client.await("ack", "f2");
      client.sendText("{\"type\":\"who\",\"room\":\"open\",\"ref\":\"f3\"" + extra + "}");
      client.await("members", "f3");
      client.sendText("{\"type\":\"history\",\"room\":\"open\",\"ref\":\"f4\"" + extra + "}");
      assertEquals(1, client.await("history", "f4").path("messages").size());
      client.sendText("{\"type\":\"nick\",\"name\":\"Fields\",\"ref\":\"f5\"" + extra + "}");
      client.await("nick", "f5");
      client.sendText("{\"type\":\"leave\",\"room\":\"open\",\"ref\":\"f6\"" + extra + "}");
      client.await("left", "f6");
    }
  }

  @Test
  void fieldsOfOtherCommandsAreIgnoredWhateverTheirType() {
    try (WsClient client = connected(server)) {
      client.sendText("{\"type\":\"join\",\"room\":\"open\",\"limit\":\"x\",\"text\":5,\"name\":[],\"ref\":\"o1\"}");
      client.await("joined", "o1");
      client.sendText("{\"type\":\"who\",\"room\":\"open\",\"since\":\"x\",\"cid\":{},\"before\":-1,\"ref\":\"o2\"}");
      client.await("members", "o2");
      client.sendText("{\"type\":\"nick\",\"name\":\"Other\",\"room\":7,\"ref\":\"o3\"}");
      client.await("nick", "o3");
    }
  }

  @Test
  void nullOptionalFieldsCountAsAbsent() {
    try (WsClient client = connected(server)) {
      client.sendText("{\"type\":\"join\",\"room\":\"open\",\"since\":null,\"ref\":\"n1\"}");
      JsonNode joined = client.await("joined", "n1");
      assertFalse(joined.has("recovered"), "since null is no since: " + joined);

      client.sendText("{\"type\":\"send\",\"room\":\"open\",\"text\":\"same\",\"cid\":null,\"ref\":\"n2\"}");
      long first = client.await("ack", "n2").path("id").asLong();
      client.sendText("{\"type\":\"send\",\"room\":\"open\",\"text\":\"same\",\"cid\":null,\"ref\":\"n3\"}");
      long second = client.await("ack", "n3").path("id").asLong();
      assertNotEquals(first, second, "a null cid is no cid: both sends are stored");

      client.sendText("{\"type\":\"history\",\"room\":\"open\",\"before\":null,\"limit\":null,\"ref\":\"n4\"}");
      assertEquals(2, client.await("history", "n4").path("messages").size());

      client.sendText("{\"type\":\"who\",\"room\":\"open\",\"ref\":null}");
      JsonNode members = client.await("members");
      assertFalse(members.has("ref") && !members.get("ref").isNull(), "a null ref is no ref: " + members);
    }
  }
}
