package dev.parley.client;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley client URL [--name NAME] [--room ROOM] [--send TEXT]}: chat from a terminal, or send
 * from a script.
 */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = ClientCommand.Version.class,
    description = {
        "Chat from a terminal: an interactive client for a Parley server (/ws).",
        "On a terminal it joins ROOM and shows its recent history, then what is said.",
        "Type to talk; /join ROOM, /leave [ROOM], /nick NAME, /who [ROOM], /help, /quit.",
        "It reconnects by itself and shows what was missed, nothing twice.",
        "With --send, or when stdin is not a terminal, it sends instead (the text, or",
        "each line of stdin), prints each message's id once acknowledged, and exits."},
    footer = {"", "Examples:",
        "  parley client ws://localhost:8080/ws --name ada",
        "  parley client http://localhost:8080 --room ops --send \"deploy finished\"",
        "  tail -f app.log | parley client localhost:8080 --room logs --name logbot",
        "",
        "Exit status: 0 done; 1 the server refused something (stderr says why:",
        "error: CODE: words); 2 bad usage; 3 the server was unreachable, did not",
        "answer, or the connection dropped.",
        "Colours are off when the output is not a terminal, or NO_COLOR is set."})
public final class ClientCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL", converter = ServerAddress.Converter.class,
      description = "The server, e.g. ws://127.0.0.1:8080/ws (http://, https:// and wss:// work too; "
          + "the path defaults to /ws).")
  ServerAddress server;

  @Option(names = "--name", paramLabel = "NAME", description = "Take this name first (else the server gives one).")
  String name;

  @Option(names = "--room", paramLabel = "ROOM", defaultValue = "general", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
      description = "The room to join and talk in.")
  String room;

  @Option(names = "--send", paramLabel = "TEXT",
      description = "Send TEXT to ROOM, print its id and exit; '-' sends each line of stdin (blank lines skipped).")
  String send;

  @Spec
  CommandSpec spec;

  private final InputStream stdin;
  private final Boolean stdinIsTerminal;

  public ClientCommand() {
    this(System.in, null);
  }

  /** For tests: this stdin, and whether it counts as a terminal (null: ask the system). */
  ClientCommand(InputStream stdin, Boolean stdinIsTerminal) {
    this.stdin = stdin;
    this.stdinIsTerminal = stdinIsTerminal;
  }

  /** {@code java -cp parley.jar dev.parley.client.ClientCommand URL …}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ClientCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String joinRoom = UserInput.room(room);
    boolean fromStdin = "-".equals(send) || (send == null && !stdinIsTerminal());
    if (send != null || fromStdin) {
      ScriptedClient client = new ScriptedClient(server, name, joinRoom, spec.commandLine().getOut(),
          spec.commandLine().getErr());
      return fromStdin
          ? client.sendLines(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)))
          : client.send(send);
    }
    return TerminalUi.run(server, name, joinRoom);
  }

  private boolean stdinIsTerminal() {
    return stdinIsTerminal != null ? stdinIsTerminal : Terminals.stdinIsTerminal();
  }

  /** The version from the jar's manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ClientCommand.class.getPackage().getImplementationVersion();
      return new String[] {"parley client " + (version == null ? "development" : version)};
    }
  }
}
