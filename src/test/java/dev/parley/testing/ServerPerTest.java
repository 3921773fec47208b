package dev.parley.testing;

import dev.parley.web.WebConfig;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base for tests that each run against a fresh {@link TestServer}, started before the test and closed after it. */
public abstract class ServerPerTest {
  private final UnaryOperator<WebConfig> config;
  /** The server of the running test. */
  protected TestServer server;

  /** Every test gets a server with the default configuration. */
  protected ServerPerTest() {
    this(UnaryOperator.identity());
  }

  /** Every test gets a server whose configuration {@code config} adjusts, e.g. {@link TestServer#unlimited}. */
  protected ServerPerTest(UnaryOperator<WebConfig> config) {
    this.config = config;
  }

  @BeforeEach
  protected final void startServer() {
    server = TestServer.start(config);
  }

  @AfterEach
  protected final void stopServer() {
    server.close();
  }
}
