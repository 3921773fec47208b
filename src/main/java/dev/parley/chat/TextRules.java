package dev.parley.chat;

import java.util.Optional;

/**
 * The rules a message text must pass. Malformed text (unpaired surrogates, control
 * characters) is a shape error; blank and over-long text have codes of their own.
 */
public final class TextRules {
  private final int maxCodePoints;

  public TextRules(int maxCodePoints) {
    this.maxCodePoints = maxCodePoints;
  }

  /** Whether every surrogate in the string is half of a pair. */
  public static boolean hasNoLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The shape check: {@code true} when the text has no unpaired surrogate and no forbidden control character. */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      } else if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Checks a well-formed text: blank gives {@code empty}, too many code points {@code too_long}. */
  public Optional<Refusal> check(String text) {
    if (isBlank(text)) {
      return Optional.of(Refusal.of(ErrorCode.EMPTY));
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxCodePoints) {
      return Optional.of(Refusal.of(ErrorCode.TOO_LONG,
          "the text has " + length + " characters; at most " + maxCodePoints + " are allowed"));
    }
    return Optional.empty();
  }

  static boolean isBlank(String text) {
    return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
  }
}
