package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ClusterNode;
import dev.parley.testing.JarHttp;
import dev.parley.testing.ScratchPostgres;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment as shipped: deploy/cluster.sh starts three jar processes on PostgreSQL and
 * Redis behind nginx, and clients that connect through nginx chat as one room.
 */
@Timeout(180)
class NginxClusterIT {
  @TempDir
  Path run;
  private ScratchPostgres database;
  private int port;
  private boolean started;

  private static boolean nginxInstalled() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  private static int freePortBlock() throws IOException {
    // nginx takes the port, the nodes the next three; pick a base whose neighbours are free too.
    for (int attempt = 0; attempt < 20; attempt++) {
      int base;
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      }
      if (base > 65000) {
        continue;
      }
      boolean free = true;
      for (int p = base; p <= base + 3 && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no block of four free ports");
  }

  private int script(String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "deploy/cluster.sh", command).redirectErrorStream(true)
        .redirectOutput(run.resolve("cluster-" + command + ".log").toFile());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("RUN_DIR", run.toString());
    pb.environment().put("PARLEY_DB", database.url());
    pb.environment().put("PARLEY_REDIS", ClusterNode.redisUrlFromEnv());
    Process process = pb.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cluster.sh " + command + " finished");
    return process.exitValue();
  }

  @BeforeEach
  void startCluster() throws Exception {
    String admin = ScratchPostgres.adminUrlFromEnv();
    assumeTrue(admin != null && ClusterNode.redisUrlFromEnv() != null,
        "set PARLEY_TEST_PG_URL and PARLEY_TEST_REDIS_URL to run cluster tests");
    assumeTrue(nginxInstalled(), "nginx is not installed (apt-get install nginx)");
    database = new ScratchPostgres(admin);
    port = freePortBlock();
    int status = script("start");
    started = status == 0;
    assertEquals(0, status, Files.readString(run.resolve("cluster-start.log")));
  }

  @AfterEach
  void stopCluster() throws Exception {
    if (started) {
      assertEquals(0, script("stop"));
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void clientsConnectedThroughNginxChatAsOneRoomWhicheverNodeTheyLandOn() {
    assertEquals(200, JarHttp.get(port, "/ready").statusCode());
    assertTrue(JarHttp.get(port, "/").body().contains("<html"), "the page is served through nginx");
    List<WsClient> clients = List.of(connect(), connect(), connect(), connect());
    for (WsClient c : clients) {
      c.await("joined", c.send("type", "join", "room", "through-nginx"));
    }
    JsonNode ack = clients.get(0).await("ack",
        clients.get(0).send("type", "send", "room", "through-nginx", "text", "hello via nginx"));
    for (WsClient c : clients) {
      JsonNode m = c.await("message");
      assertEquals(ack.get("id").asLong(), m.get("id").asLong());
      assertEquals("hello via nginx", m.get("text").asText());
    }
    JsonNode who = clients.get(3).await("members", clients.get(3).send("type", "who", "room", "through-nginx"));
    assertEquals(4, who.get("members").size(), who.toString());
  }

  private WsClient connect() {
    WsClient client = WsClient.connect(port, "/ws", new WebSocketConnectOptions());
    client.await("hello");
    return client;
  }
}
