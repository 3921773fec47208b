package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How messages and events look, with and without colour. */
@Timeout(60)
class RendererTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  /** 2025-11-25 14:03 in Paris (13:03 UTC). */
  private static final long TS = Instant.parse("2025-11-25T13:03:07Z").toEpochMilli();
  private static final Clock SAME_DAY = Clock.fixed(Instant.parse("2025-11-25T20:00:00Z"), PARIS);
  /** Only "select graphic rendition" sequences (colours, bold, …) may reach the terminal. */
  private static final Pattern ANY_ESCAPE = Pattern.compile("\u001b\\[[0-9;]*m");

  private final Renderer plain = new Renderer(false, PARIS, SAME_DAY);
  private final Renderer coloured = new Renderer(true, PARIS, SAME_DAY);

  private static Incoming.Message message(String from, String text) {
    return new Incoming.Message("general", 7, from, text, TS);
  }

  private static String ansi(AttributedString s) {
    return s.toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.Force256Colors);
  }

  @Test
  void aMessageShowsTheLocalTimeTheSenderAndTheText() {
    assertEquals("14:03 ada: hello", plain.message(message("ada", "hello"), "bob", false).toString());
    assertEquals("14:03 #random ada: hello",
        plain.message(new Incoming.Message("random", 1, "ada", "hello", TS), "bob", true).toString());
  }

  @Test
  void aMessageFromAnotherDayShowsItsDate() {
    Renderer nextDay = new Renderer(false, PARIS, Clock.offset(SAME_DAY, java.time.Duration.ofDays(1)));
    assertEquals("2025-11-25 14:03 ada: hi", nextDay.message(message("ada", "hi"), null, false).toString());
  }

  @Test
  void theLinesOfAMessageAfterTheFirstAreIndentedUnderItsText() {
    assertEquals("14:03 ada: one\n           two\n           14:04 eve: forged",
        plain.message(message("ada", "one\ntwo\r14:04 eve: forged"), null, false).toString());
  }

  @Test
  void withoutColourNothingButTheTextIsWritten() {
    String out = ansi(plain.message(message("ada", "hello"), "ada", false));
    assertEquals("14:03 ada: hello", out);
    assertEquals("-- ada joined #general",
        ansi(plain.system().name("ada").text(" joined ").room("general").done()));
  }

  @Test
  void withColourNamesAreColouredAndEventsDim() {
    String out = ansi(coloured.message(message("ada", "hello"), "bob", false));
    assertTrue(out.contains("\u001b["), out);
    assertEquals("14:03 ada: hello", ANY_ESCAPE.matcher(out).replaceAll(""));
    String event = ansi(coloured.system().name("ada").text(" joined ").room("general").done());
    assertTrue(event.startsWith("\u001b[2m"), "dim: " + event.replace("\u001b", "ESC"));
  }

  @Test
  void escapeSequencesInTextNamesAndRoomsReachTheTerminalOnlyAsVisibleText() {
    String hostile = "\u001b[2J\u001b]2;pwned\u0007\u009b31m\u202e";
    for (Renderer r : List.of(plain, coloured)) {
      String out = ansi(r.message(new Incoming.Message(hostile, 1, "eve" + hostile, hostile, TS), null, true))
          + ansi(r.system().name(hostile).room(hostile).words(hostile).done())
          + ansi(r.prompt(hostile, hostile, true));
      String withoutStyles = ANY_ESCAPE.matcher(out).replaceAll("");
      assertFalse(withoutStyles.chars().anyMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == 0x202e),
          "only styles are escape sequences: " + out.replace("\u001b", "ESC"));
      assertTrue(withoutStyles.contains("^[[2J^[]2;pwned^G<U+009B>31m<U+202E>"), withoutStyles);
    }
  }

  @Test
  void thePromptNamesTheRoomAndTheUser() {
    assertEquals("#general ada> ", plain.prompt("general", "ada", true).toString());
    assertEquals("(offline) #general ada> ", plain.prompt("general", "ada", false).toString());
    assertEquals("(no room) ada> ", plain.prompt(null, "ada", true).toString());
  }
}
