package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class TextRulesTest {
  private static final String EMOJI = "\uD83D\uDE00"; // one code point, two chars
  private final TextRules rules = new TextRules(4000);

  @ParameterizedTest
  @ValueSource(strings = {"hello", "tab\there", "line\nbreak", "carriage\rreturn", "crlf\r\n", EMOJI,
      "a" + EMOJI + "b", "caf\u00e9", "\u00A0", "\u2028", "\u200B", "\uFFFD", "<b>not html</b>"})
  void textWithoutControlCharactersOrUnpairedSurrogatesIsWellFormed(String text) {
    assertTrue(TextRules.isWellFormed(text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD83D", "a\uD83D", "\uD83Db", "\uDE00", "a\uDE00b", "\uDE00\uD83D",
      "\uD83D\uD83D\uDE00x\uDE00", "\u0000", "bell\u0007", "\u001B[31m", "\f", "\u000B", "\u007F", "\u0085",
      "\u009F", "\u001C"})
  void anUnpairedSurrogateOrAControlCharacterOtherThanTabLineFeedOrReturnIsMalformed(String text) {
    assertFalse(TextRules.isWellFormed(text), text.chars().mapToObj(Integer::toHexString).toList().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t", "\n\r\n", "\u00A0", "\u00A0\u2003", "\u2028", "\u3000",
      "\u200A \u205F", " \t\u00A0\u2007\u202F"})
  void textOfNothingButWhiteSpaceIsEmpty(String text) {
    assertEquals(Optional.of(ErrorCode.EMPTY), rules.check(text).map(Refusal::code),
        text.chars().mapToObj(Integer::toHexString).toList().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", " a ", "\u00A0.\u2003", "\u200B", EMOJI, "\t-\n"})
  void textWithAnyVisibleCharacterIsNotBlank(String text) {
    assertEquals(Optional.empty(), rules.check(text));
  }

  @Test
  void fourThousandCodePointsAreAllowedAndOneMoreIsTooLong() {
    assertEquals(Optional.empty(), rules.check("a".repeat(4000)));
    assertEquals(Optional.of(ErrorCode.TOO_LONG), rules.check("a".repeat(4001)).map(Refusal::code));
  }

  @Test
  void anAstralCharacterCountsAsOneCodePoint() {
    assertEquals(Optional.empty(), rules.check(EMOJI.repeat(4000)), "8000 chars, 4000 code points");
    assertEquals(Optional.empty(), rules.check("a".repeat(3999) + EMOJI));
    assertEquals(Optional.of(ErrorCode.TOO_LONG), rules.check(EMOJI.repeat(4001)).map(Refusal::code));
    assertEquals(Optional.of(ErrorCode.TOO_LONG), rules.check("a".repeat(4000) + EMOJI).map(Refusal::code));
  }

  @Test
  void theLimitIsConfigurable() {
    TextRules five = new TextRules(5);
    assertEquals(Optional.empty(), five.check("abcde"));
    assertEquals(Optional.of(ErrorCode.TOO_LONG), five.check("abcdef").map(Refusal::code));
  }

  @Test
  void blankIsCheckedBeforeLength() {
    assertEquals(Optional.of(ErrorCode.EMPTY), rules.check(" ".repeat(4001)).map(Refusal::code));
  }
}
