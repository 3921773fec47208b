package dev.parley.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parley bench}: a WebSocket load generator for Parley and the reference servers.
 * Progress goes to stderr (one line a second); a summary table and one {@code RESULT {json}}
 * line go to stdout.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Load-test a chat server over WebSockets (/chat or /ws).",
        "Progress on stderr; a summary table and one 'RESULT {json}' line on stdout."},
    subcommands = {IdleScenario.class, FanoutScenario.class, ChatScenario.class, HandshakeScenario.class,
        ChurnScenario.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

  /** Runs the bench command on its own: {@code java -cp parley.jar dev.parley.bench.BenchCommand fanout ...}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
