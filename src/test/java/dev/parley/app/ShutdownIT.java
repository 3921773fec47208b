package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JarProcess;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the real jar: every socket is told to go away (1001) and the process ends in time. */
@Timeout(120)
class ShutdownIT {
  @TempDir
  Path data;

  @Test
  void sigtermAcknowledgesWhatWasSentClosesEverySocketWith1001AndExitsWithinTheTimeout() throws Exception {
    try (JarProcess parley = JarProcess.start("--data", data.toString(), "--shutdown-timeout", "10")) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + parley.port() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode());

      WsClient json = WsClient.connect(parley.port(), "/ws", new WebSocketConnectOptions());
      WsClient plain = WsClient.connect(parley.port(), "/chat", new WebSocketConnectOptions());
      String join = json.send("type", "join", "room", "general");
      json.await("joined", join);
      String send = json.send("type", "send", "room", "general", "text", "last words", "cid", "c1");
      JsonNode ack = json.await("ack", send);
      assertTrue(ack.get("id").asLong() > 0);

      long start = System.nanoTime();
      parley.terminate();
      assertEquals((short) 1001, json.awaitClose());
      assertEquals((short) 1001, plain.awaitClose());
      assertTrue(parley.awaitExit(Duration.ofSeconds(15)), "the process exits within its shutdown timeout");
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() <= 12, "and promptly");
      assertTrue(parley.log().stream().anyMatch(line -> line.contains("Parley stopped")), parley.log().toString());
    }
    assertTrue(Files.isDirectory(data), "the data folder is left in place");
  }
}
