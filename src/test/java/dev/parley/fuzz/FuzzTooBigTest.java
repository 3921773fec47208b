package dev.parley.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import dev.parley.web.WebLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the end-to-end fuzz run found: a message over --max-frame sent as one large frame is
 * answered with a close frame 1009, but the server then drops the TCP connection at once
 * instead of finishing the closing handshake, so a client that has sent anything more (its
 * next command) gets a reset and usually never reads the 1009: it sees 1006. The contract says
 * "close 1009".
 */
@Timeout(60)
class FuzzTooBigTest {

  @Test
  void aClientStillSendingOneFrameOverTheLimitIsToldWhyWith1009RatherThanAReset() throws Exception {
    int maxFrame = WebLimits.defaults().maxFrame();
    try (TestServer server = TestServer.start()) {
      Map<String, Integer> codes = new TreeMap<>();
      List<Integer> sizes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sizes.add(maxFrame + 1 + i * maxFrame / 2);
      }
      for (int size : sizes) {
        try (FuzzSocket socket = FuzzSocket.open(server.port(), "/ws", text -> { })) {
          byte[] bytes = new byte[size];
          java.util.Arrays.fill(bytes, (byte) 'x');
          socket.send(new FrameSource.Frame(FrameSource.Kind.TOO_BIG, null, bytes), null);
          // A client does not wait between messages: its next commands follow at once.
          for (int i = 0; i < 50; i++) {
            socket.sendText("{\"type\":\"who\",\"room\":\"general\",\"ref\":\"next" + i + "\"}");
          }
          Short code = socket.closed().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
          codes.merge(String.valueOf(code), 1, Integer::sum);
        }
      }
      assertEquals(Map.of("1009", sizes.size()), codes, "close codes for single frames of " + sizes + " bytes");
    }
  }
}
