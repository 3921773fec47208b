package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.web.TlsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --tls-cert} and {@code --tls-key} go together: one without the other, or a file that
 * cannot be read, stops start-up with words that say what is wrong, before anything listens.
 */
@Timeout(60)
class TlsOptionsTest {
  @TempDir
  Path dir;
  private Path cert;
  private Path key;

  @BeforeEach
  void files() throws IOException {
    // Start-up checks only that the files are there; their contents are Vert.x's to judge at listen.
    cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
  }

  /** A ServeCommand parsed from the given arguments, as Main would, but not run. */
  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static String refusal(String... args) {
    return assertThrows(ParameterException.class, () -> parsed(args).settings()).getMessage();
  }

  @Test
  void aCertificateWithoutAKeyIsRefusedInWords() {
    String message = refusal("--tls-cert", cert.toString());
    assertTrue(message.contains("--tls-cert was given without --tls-key"), message);
  }

  @Test
  void aKeyWithoutACertificateIsRefusedInWords() {
    String message = refusal("--tls-key", key.toString());
    assertTrue(message.contains("--tls-key was given without --tls-cert"), message);
  }

  @Test
  void aMissingCertificateFileIsNamed() {
    Path missing = dir.resolve("nope.pem");
    String message = refusal("--tls-cert", missing.toString(), "--tls-key", key.toString());
    assertTrue(message.contains("--tls-cert") && message.contains(missing.toString()), message);
  }

  @Test
  void aKeyThatIsAFolderIsRefused() {
    String message = refusal("--tls-cert", cert.toString(), "--tls-key", dir.toString());
    assertTrue(message.contains("--tls-key") && message.contains("cannot be read"), message);
  }

  @Test
  void bothFilesTogetherTurnTlsOn() {
    Settings settings = parsed("--tls-cert", cert.toString(), "--tls-key", key.toString()).settings();
    assertEquals(new TlsFiles(cert, key), settings.web().tls());
    assertTrue(settings.web().secure());
  }

  @Test
  void neitherOptionServesPlainHttp() {
    Settings settings = parsed().settings();
    assertNull(settings.web().tls(), "no TLS unless asked (PARLEY_TLS_CERT/PARLEY_TLS_KEY unset here)");
  }

  @Test
  void theCommandLineStopsWithExitCodeTwoAndTheMessageBeforeServing() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    // Were the check missing, this would start a server and block: the class timeout would fail it.
    int code = cli.execute("--in-memory", "--host", "127.0.0.1", "--port", "0", "--tls-cert", cert.toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--tls-cert was given without --tls-key"), err.toString());
  }
}
