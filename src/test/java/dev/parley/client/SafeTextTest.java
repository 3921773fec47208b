package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Text from the wire never carries a character a terminal would act on. */
@Timeout(60)
class SafeTextTest {
  private static String shown(List<SafeText.Piece> pieces) {
    StringBuilder b = new StringBuilder();
    pieces.forEach(p -> b.append(p.text()));
    return b.toString();
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
  }

  @Test
  void escapeAndTheOtherC0ControlsAreShownInCaretNotation() {
    assertEquals("^[[2J^[[Hcleared?", SafeText.plain("\u001b[2J\u001b[Hcleared?"));
    assertEquals("^[]2;title^G", SafeText.plain("\u001b]2;title\u0007"));
    assertEquals("a^Hb^@c^?", SafeText.plain("a\bb\u0000c\u007f"));
  }

  @Test
  void c1ControlsAndBidirectionalOverridesAreShownAsCodePoints() {
    assertEquals("<U+009B>2J", SafeText.plain("\u009b2J"));
    assertEquals("abc<U+202E>fed<U+2066>x<U+2069>", SafeText.plain("abc\u202efed\u2066x\u2069"));
  }

  @Test
  void escapedRunsAreMarkedSoTheyCanBeStyledApart() {
    assertEquals(List.of(new SafeText.Piece("a", false), new SafeText.Piece("^[^G", true),
        new SafeText.Piece("b", false)), SafeText.line("a\u001b\u0007b"));
  }

  @Test
  void everyKindOfLineBreakStartsANewLineSoACarriageReturnCannotOverwriteWhatWasPrinted() {
    List<List<SafeText.Piece>> lines = SafeText.lines("one\rtwo\r\nthree\nfour\u2028five");
    assertEquals(List.of("one", "two", "three", "four", "five"), lines.stream().map(SafeTextTest::shown).toList());
    assertEquals(List.of("a", ""), SafeText.lines("a\n").stream().map(SafeTextTest::shown).toList());
  }

  @Test
  void inASingleLineLineBreaksAreShownToo() {
    assertEquals("a^Jb^Mc<U+2028>", SafeText.plain("a\nb\rc\u2028"));
  }

  @Test
  void tabsBecomeSpacesAndUnpairedSurrogatesTheReplacementCharacter() {
    assertEquals("a    b", SafeText.plain("a\tb"));
    assertEquals("\uFFFDx\uFFFD", SafeText.plain("\ud800x\udc00"));
    assertEquals("emoji \uD83D\uDE00 and \u00e9t\u00e9 and \u4e2d\u6587", SafeText.plain("emoji \uD83D\uDE00 and \u00e9t\u00e9 and \u4e2d\u6587"));
  }

  @Test
  void noCodeUnitAtAllGetsThroughAsAControlCharacter() {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      every.append(c);
    }
    assertFalse(hasControl(SafeText.plain(every.toString())));
    for (List<SafeText.Piece> line : SafeText.lines(every.toString())) {
      assertFalse(hasControl(shown(line)));
    }
  }
}
