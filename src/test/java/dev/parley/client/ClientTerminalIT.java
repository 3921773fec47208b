package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged client ({@code java -cp target/parley.jar dev.parley.client.ClientCommand}) as a person
 * uses it: in a real pseudo-terminal (tmux), keys typed, the screen read. And with stdin a pipe.
 */
@Timeout(180)
class ClientTerminalIT {
  private static final String TIME = "\\d\\d:\\d\\d ";

  @TempDir
  Path temp;

  private static List<String> client(String... args) {
    Path jar = Path.of("target", "parley.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("target/parley.jar is missing: run `mvn verify`, which packages it first");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(),
        ClientCommand.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static Tmux inTerminal(String... args) throws IOException {
    return Tmux.start(String.join(" ", client(args).stream().map(Tmux::quote).toList()));
  }

  private static boolean message(String line, String from, String text) {
    return line.matches(TIME + Pattern.quote(from + ": " + text));
  }

  private static JsonNode awaitMessage(WsClient client, String from, String text) {
    return client.await(f -> "message".equals(f.path("type").asText()) && from.equals(f.path("from").asText())
        && text.equals(f.path("text").asText()));
  }

  private static JsonNode awaitPresence(WsClient client, String name, String event) {
    return client.await(f -> "presence".equals(f.path("type").asText()) && name.equals(f.path("name").asText())
        && event.equals(f.path("event").asText()));
  }

  private static WsClient user(TestServer server, String name, String room) {
    WsClient client = WsClient.json(server);
    client.await("hello");
    client.await("nick", client.send("type", "nick", "name", name));
    client.await("joined", client.send("type", "join", "room", room));
    return client;
  }

  @Test
  void aPersonChatsFromATerminalWithSomeoneOnTheWebSocket() throws Exception {
    try (TestServer server = TestServer.start(); WsClient bob = user(server, "bob", "general")) {
      bob.await("ack", bob.send("type", "send", "room", "general", "text", "hello from history"));
      try (Tmux ada = inTerminal(server.ws(), "--name", "ada")) {
        ada.awaitLine(line -> message(line, "bob", "hello from history"), "with the room's history on join");
        ada.awaitLine(line -> line.equals("-- you joined #general: 2 people: ada, bob"), "about the join");
        awaitPresence(bob, "ada", "join");

        ada.type("hi bob, it's \"ada\" \\o/ !!");
        JsonNode typing = bob.await("typing");
        assertEquals("ada", typing.get("name").asText(), "typing tells the room");
        ada.pressEnter();
        awaitMessage(bob, "ada", "hi bob, it's \"ada\" \\o/ !!");
        ada.awaitLine(line -> message(line, "ada", "hi bob, it's \"ada\" \\o/ !!"), "with ada's own message");

        bob.send("type", "send", "room", "general", "text", "hi ada");
        ada.awaitLine(line -> message(line, "bob", "hi ada"), "with bob's live message");
        String styled = ada.screenWithStyles().lines().filter(line -> line.contains("hi ada")).findFirst().orElseThrow();
        assertTrue(styled.contains("\u001b["), "a terminal with colours gets them: " + styled);

        ada.enter("/nick adalovelace");
        JsonNode nick = bob.await("nick");
        assertEquals("ada", nick.get("from").asText());
        assertEquals("adalovelace", nick.get("to").asText());
        ada.awaitLine(line -> line.equals("-- you are now adalovelace"), "about the new name");
        ada.awaitLine(line -> line.startsWith("#general adalovelace>"), "with the new name in the prompt");

        ada.enter("/who");
        ada.awaitLine(line -> line.equals("-- #general: 2 people: adalovelace, bob"), "listing the members");

        try (WsClient carol = user(server, "carol", "random")) {
          ada.enter("/join random");
          awaitPresence(carol, "adalovelace", "join");
          ada.awaitLine(line -> line.startsWith("-- you joined #random"), "about joining random");
          ada.enter("over here");
          awaitMessage(carol, "adalovelace", "over here");
          ada.enter("/leave");
          awaitPresence(carol, "adalovelace", "leave");
          ada.awaitLine(line -> line.equals("-- you left #random"), "about leaving random");
        }
        ada.enter("back in general");
        awaitMessage(bob, "adalovelace", "back in general");

        ada.enter("/quit");
        assertEquals(0, ada.awaitExit(), "/quit exits with status 0");
        awaitPresence(bob, "adalovelace", "leave");
      }
    }
  }

  @Test
  void noColorTurnsColoursOff() throws Exception {
    try (TestServer server = TestServer.start(); WsClient bob = user(server, "bob", "general")) {
      bob.await("ack", bob.send("type", "send", "room", "general", "text", "plain please"));
      try (Tmux ada = Tmux.start("NO_COLOR=1 " + String.join(" ", client(server.ws()).stream().map(Tmux::quote).toList()))) {
        ada.awaitLine(line -> line.startsWith("-- you joined #general"), "about the join");
        String styled = ada.screenWithStyles();
        assertTrue(styled.contains("bob: plain please"), styled);
        assertFalse(styled.contains("\u001b["), "no styles at all: " + styled.replace("\u001b", "ESC"));
      }
    }
  }

  @Test
  void escapeSequencesFromTheServerReachTheTerminalOnlyAsVisibleText() throws Exception {
    try (HostileServer hostile = HostileServer.start(); Tmux terminal = inTerminal(hostile.ws())) {
      String titleBefore = terminal.variable("pane_title");
      terminal.awaitLine(line -> line.endsWith(HostileServer.LAST), "with the last hostile message");
      String screen = terminal.screen();
      assertTrue(terminal.visibleScreen().contains(HostileServer.BEFORE), "\\e[2J did not clear the screen:\n" + screen);
      assertTrue(screen.contains("mallory: ^[[2J^[[Hwas the screen cleared?"), screen);
      assertTrue(screen.contains("mallory^[[5m: ^[]2;pwned^Gwas the title set?"), screen);
      assertTrue(screen.contains("mallory: ^[[31mred alert"), screen);
      assertTrue(screen.contains("mallory: <U+009B>2Jeight-bit CSI"), screen);
      assertTrue(screen.contains("-- eve^[[8m joined #general"), screen);
      assertTrue(screen.contains("-- error: bad_request^[[41m: ^G^[[?1049hthe alternate screen?"), screen);
      assertTrue(screen.contains("mallory: ^[[8m" + HostileServer.LAST), "\\e[8m did not hide text:\n" + screen);
      assertEquals(titleBefore, terminal.variable("pane_title"), "the title was not set");
      assertEquals("0", terminal.variable("alternate_on"), "the alternate screen was not switched on");

      String forged = terminal.awaitLine(line -> line.endsWith("12:00 bob: forged"), "with the forged line");
      assertTrue(forged.startsWith("   "), "a carriage return starts an indented line, not a fresh one: " + forged);

      String styled = terminal.screenWithStyles();
      String red = styled.lines().filter(line -> line.contains("red alert")).findFirst().orElseThrow();
      assertFalse(red.contains("\u001b[31m"), "\\e[31m did not turn the text red: " + red.replace("\u001b", "ESC"));
    }
  }

  @Test
  void aConnectionTheServerRefusesEndsTheClientWithStatusOne() throws Exception {
    try (TestServer server = TestServer.start(); Tmux terminal = inTerminal(server.http("/no-such-endpoint"))) {
      terminal.awaitLine(line -> line.startsWith("-- the server refused the connection (HTTP 4"), "about the refusal");
      assertEquals(1, terminal.awaitExit(), "retrying would not help: the client gives up");
    }
  }

  @Test
  void withStdinAPipeEachLineIsSentAndItsIdPrinted() throws Exception {
    try (TestServer server = TestServer.start(); WsClient bob = user(server, "bob", "pipes")) {
      Path input = Files.writeString(temp.resolve("lines.txt"), "first line\nsecond line\n", StandardCharsets.UTF_8);
      Path output = temp.resolve("out.txt");
      Process process = new ProcessBuilder(client(server.ws(), "--room", "pipes", "--name", "piper"))
          .redirectInput(input.toFile()).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client exits after the last ack");
      assertEquals(0, process.exitValue());
      long first = awaitMessage(bob, "piper", "first line").get("id").asLong();
      long second = awaitMessage(bob, "piper", "second line").get("id").asLong();
      assertEquals(List.of(String.valueOf(first), String.valueOf(second)),
          Files.readAllLines(output, StandardCharsets.UTF_8));
    }
  }
}
