package dev.parley.app;

import dev.parley.bench.BenchCommand;
import dev.parley.client.ClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar parley.jar [serve] [options]}. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A real-time group chat server.",
    subcommands = {ServeCommand.class, ClientCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    boolean subcommand = args.length > 0 && cli.getSubcommands().containsKey(args[0]);
    boolean topLevelFlag = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")
        || args[0].equals("--version") || args[0].equals("-V"));
    if (!subcommand && !topLevelFlag) {
      // `parley --port 9000` means `parley serve --port 9000`.
      cli = new CommandLine(new ServeCommand());
    }
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
