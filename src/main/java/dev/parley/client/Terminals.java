package dev.parley.client;

import org.jline.terminal.Terminal;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.InfoCmp;

/** Whether the process talks to a terminal, and whether that terminal should get colours. */
final class Terminals {
  private Terminals() {}

  /** Whether stdin is a terminal (else the client reads lines to send from it). */
  static boolean stdinIsTerminal() {
    return isTerminal(SystemStream.Input);
  }

  static boolean stdoutIsTerminal() {
    return isTerminal(SystemStream.Output);
  }

  /**
   * Colours only on a terminal that has them, and never when {@code NO_COLOR} is set to anything
   * (https://no-color.org).
   */
  static boolean wantsColour(Terminal terminal) {
    String noColor = System.getenv("NO_COLOR");
    if (noColor != null && !noColor.isEmpty()) {
      return false;
    }
    if (!stdoutIsTerminal() || terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
      return false;
    }
    Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
    return colours != null && colours >= 8;
  }

  private static boolean isTerminal(SystemStream stream) {
    for (String provider : new String[] {"jni", "exec"}) {
      try {
        return TerminalProvider.load(provider).isSystemStream(stream);
      } catch (Throwable e) {
        // try the next way of asking
      }
    }
    return System.console() != null;
  }
}
