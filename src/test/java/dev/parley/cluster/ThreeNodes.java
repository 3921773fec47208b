package dev.parley.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.testing.ClusterNode;
import dev.parley.testing.ScratchPostgres;
import dev.parley.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh cluster for each test: three in-JVM nodes on a scratch PostgreSQL database and Redis. */
abstract class ThreeNodes {
  protected ScratchPostgres database;
  protected final List<ClusterNode> nodes = new ArrayList<>();

  @BeforeEach
  void startCluster() throws Exception {
    String admin = ScratchPostgres.adminUrlFromEnv();
    String redis = ClusterNode.redisUrlFromEnv();
    assumeTrue(admin != null && redis != null, "set PARLEY_TEST_PG_URL and PARLEY_TEST_REDIS_URL to run cluster tests");
    database = new ScratchPostgres(admin);
    for (int i = 0; i < 3; i++) {
      nodes.add(ClusterNode.start(database.url(), redis));
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    nodes.forEach(ClusterNode::close);
    if (database != null) {
      database.close();
    }
  }

  /** A /ws client on a node, past its hello. */
  protected WsClient client(int node, WebSocketConnectOptions options) {
    WsClient client = WsClient.connect(nodes.get(node).port(), "/ws", options);
    client.await("hello");
    return client;
  }

  protected WsClient client(int node) {
    return client(node, new WebSocketConnectOptions());
  }
}
