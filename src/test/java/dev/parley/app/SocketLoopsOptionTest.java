package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code --socket-loops}: how many event loops serve WebSockets; 0 (the default) is one per core. */
class SocketLoopsOptionTest {
  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void byDefaultThereIsOneSocketLoopPerCore() {
    assertEquals(Runtime.getRuntime().availableProcessors(), parsed().settings().web().socketLoopCount());
  }

  @Test
  void aGivenCountIsUsedAsIs() {
    assertEquals(3, parsed("--socket-loops", "3").settings().web().socketLoopCount());
  }

  @Test
  void aNegativeCountIsRefusedInWords() {
    String message = assertThrows(ParameterException.class,
        () -> parsed("--socket-loops", "-1").settings()).getMessage();
    assertTrue(message.contains("--socket-loops must be 0 (one per core) or more"), message);
  }
}
