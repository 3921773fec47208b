package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code parley client URL --send TEXT} and lines from stdin, run in-process through picocli against a real server. */
@Timeout(60)
class ScriptedModeTest {
  private TestServer server;
  private WsClient bob;

  /** What a run of the command printed, and its exit status. */
  private record Run(int status, String out, String err) {
    List<Long> ids() {
      List<Long> ids = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          ids.add(Long.parseLong(line.strip()));
        }
      }
      return ids;
    }
  }

  @BeforeEach
  void start() {
    server = TestServer.start();
    bob = WsClient.json(server);
    bob.await("hello");
  }

  @AfterEach
  void stop() {
    bob.close();
    server.close();
  }

  private static Run run(String stdin, boolean stdinIsTerminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ClientCommand(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), stdinIsTerminal));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static Run send(String... args) {
    return run("", true, args);
  }

  private void bobJoins(String room) {
    bob.await("joined", bob.send("type", "join", "room", room));
  }

  private JsonNode nextMessage() {
    return bob.await("message");
  }

  @Test
  void sendPostsOneMessageUnderTheGivenNameAndPrintsItsIdOnceAcknowledged() {
    bobJoins("ops");
    Run run = send(server.ws(), "--room", "ops", "--name", "deploybot", "--send", "deploy finished");
    assertEquals(0, run.status(), run.err());
    JsonNode message = nextMessage();
    assertEquals("deploybot", message.get("from").asText());
    assertEquals("deploy finished", message.get("text").asText());
    assertEquals("ops", message.get("room").asText());
    assertEquals(List.of(message.get("id").asLong()), run.ids(), "stdout is the message id");
    assertEquals("", run.err());
  }

  @Test
  void httpUrlsAndAddressesWithoutSchemeReachTheWebSocketEndpoint() {
    bobJoins("general");
    Run http = send(server.http("/"), "--send", "over http");
    assertEquals(0, http.status(), http.err());
    assertEquals("over http", nextMessage().get("text").asText());
    Run bare = send("127.0.0.1:" + server.port(), "--send", "no scheme");
    assertEquals(0, bare.status(), bare.err());
    assertEquals("no scheme", nextMessage().get("text").asText(), "the default room is general");
  }

  @Test
  void stdinThatIsNotATerminalIsSentLineByLineInOrderSkippingBlankLines() {
    bobJoins("feed");
    Run run = run("one\n\ntwo\n   \nthree\n", false, server.ws(), "--room", "feed", "--name", "feeder");
    assertEquals(0, run.status(), run.err());
    List<Long> ids = new ArrayList<>();
    for (String text : List.of("one", "two", "three")) {
      JsonNode message = nextMessage();
      assertEquals(text, message.get("text").asText());
      assertEquals("feeder", message.get("from").asText());
      ids.add(message.get("id").asLong());
    }
    assertEquals(ids, run.ids(), "one id per line sent, in order");
  }

  @Test
  void sendDashReadsStdinEvenWhenItIsATerminal() {
    bobJoins("general");
    Run run = run("first\nsecond", true, server.ws(), "--send", "-");
    assertEquals(0, run.status(), run.err());
    assertEquals("first", nextMessage().get("text").asText());
    assertEquals("second", nextMessage().get("text").asText(), "a last line without a line break counts");
    assertEquals(2, run.ids().size());
  }

  @Test
  void moreLinesThanTheSendBurstAreRetriedThroughTheRateLimitAndAllArriveOnce() {
    bobJoins("flood");
    StringBuilder lines = new StringBuilder();
    int count = 25; // the default burst is 20, then 2 per second
    for (int i = 1; i <= count; i++) {
      lines.append("line ").append(i).append('\n');
    }
    Run run = run(lines.toString(), false, server.ws(), "--room", "flood");
    assertEquals(0, run.status(), run.err());
    assertEquals(count, run.ids().size(), run.out());
    for (int i = 1; i <= count; i++) {
      assertEquals("line " + i, nextMessage().get("text").asText());
    }
    bob.send("type", "send", "room", "flood", "text", "marker");
    assertEquals("marker", nextMessage().get("text").asText(), "no line arrived twice");
  }

  @Test
  void aRefusedTextExitsOneWithTheErrorCodeOnStderrAndIsNotDelivered() {
    bobJoins("general");
    Run run = send(server.ws(), "--send", "x".repeat(4001));
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("error: too_long: "), run.err());
    assertEquals("", run.out());
    assertEquals(0, send(server.ws(), "--send", "fine").status());
    assertEquals("fine", nextMessage().get("text").asText(), "the refused text was not delivered");
  }

  @Test
  void aRefusedLineAmongStdinLinesIsReportedTheOthersAreSentAndTheStatusIsOne() {
    bobJoins("general");
    Run run = run("good\n" + "y".repeat(4001) + "\nalso good\n", false, server.ws());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("error: too_long: "), run.err());
    assertEquals(2, run.ids().size(), run.out());
    assertEquals("good", nextMessage().get("text").asText());
    assertEquals("also good", nextMessage().get("text").asText());
  }

  @Test
  void anInvalidRoomExitsOneWithInvalidRoom() {
    Run run = send(server.ws(), "--room", "no spaces", "--send", "hi");
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("error: invalid_room: "), run.err());
  }

  @Test
  void aNameInUseExitsOneWithNameTakenBeforeSendingAnything() {
    bob.await("nick", bob.send("type", "nick", "name", "bob"));
    bobJoins("general");
    Run run = send(server.ws(), "--name", "BOB", "--send", "impostor");
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("error: name_taken: "), run.err());
    assertEquals(0, send(server.ws(), "--send", "next").status());
    assertEquals("next", nextMessage().get("text").asText(), "nothing was sent under another name either");
  }

  @Test
  void anUnreachableServerExitsThree() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Run run = send("ws://127.0.0.1:" + port + "/ws", "--send", "hello?");
    assertEquals(3, run.status());
    assertTrue(run.err().startsWith("error: unreachable: "), run.err());
  }

  @Test
  void aWrongPathIsRefusedByTheServerAndExitsThree() {
    Run run = send(server.http("/nothing-here"), "--send", "hello?");
    assertEquals(3, run.status());
    assertTrue(run.err().startsWith("error: unreachable: the server refused the connection (HTTP "), run.err());
  }

  @Test
  void aUrlOfAnotherSchemeIsAUsageError() {
    Run run = send("ftp://127.0.0.1/ws", "--send", "hello?");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("unsupported scheme ftp"), run.err());
  }
}
