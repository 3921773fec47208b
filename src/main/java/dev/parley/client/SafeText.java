package dev.parley.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Text from the wire made harmless for a terminal. Everything a server sends (message texts, names,
 * room names, error words) is shown as text: a character that a terminal would act on (ESC and the
 * other C0 controls, DEL, the C1 controls such as the 8-bit CSI, and the bidirectional overrides that
 * reorder what is shown) never reaches it raw, but as a visible stand-in: {@code ^[} for ESC, {@code ^G}
 * for BEL, {@code ^?} for DEL, {@code <U+009B>} for the others. A tab becomes spaces, an unpaired
 * surrogate U+FFFD. Line breaks (LF, CR LF, a lone CR, U+2028, U+2029) split a message into lines, so a
 * CR cannot move the cursor back over what was printed (the caller indents the lines that follow).
 */
final class SafeText {
  /** A run of text: shown as it is, or the visible stand-in of characters that must not reach the terminal. */
  record Piece(String text, boolean escaped) {}

  private static final String TAB = "    ";

  private SafeText() {}

  /** The lines of a message text, each as pieces. There is always at least one line. */
  static List<List<Piece>> lines(String text) {
    List<List<Piece>> lines = new ArrayList<>();
    Pieces current = new Pieces();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        lines.add(current.done());
        current = new Pieces();
      } else {
        i = append(current, text, i);
      }
    }
    lines.add(current.done());
    return lines;
  }

  /** One line of text with every line break shown as its stand-in too: for names, rooms and error words. */
  static List<Piece> line(String text) {
    Pieces pieces = new Pieces();
    for (int i = 0; i < text.length(); i++) {
      i = append(pieces, text, i);
    }
    return pieces.done();
  }

  /** {@link #line} as a plain string, for output without styles (scripted mode, prompts). */
  static String plain(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (Piece piece : line(text)) {
      out.append(piece.text());
    }
    return out.toString();
  }

  /** Appends the character (or surrogate pair) at {@code i}; returns the index of its last char. */
  private static int append(Pieces out, String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
      out.plain(text.substring(i, i + 2));
      return i + 1;
    }
    if (Character.isSurrogate(c)) {
      out.plain("\uFFFD");
    } else if (c == '\t') {
      out.plain(TAB);
    } else if (c < 0x20) {
      out.escaped("^" + (char) (c + 0x40));
    } else if (c == 0x7F) {
      out.escaped("^?");
    } else if (mustEscape(c)) {
      out.escaped(String.format("<U+%04X>", (int) c));
    } else {
      out.plain(String.valueOf(c));
    }
    return i;
  }

  /** C1 controls, line and paragraph separators (in a single line), and the bidirectional embeddings and isolates. */
  private static boolean mustEscape(char c) {
    return (c >= 0x80 && c <= 0x9F)
        || c == '\u2028' || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /** Builds pieces, merging neighbours of the same kind. */
  private static final class Pieces {
    private final List<Piece> pieces = new ArrayList<>();
    private final StringBuilder run = new StringBuilder();
    private boolean runEscaped;

    void plain(String s) {
      add(s, false);
    }

    void escaped(String s) {
      add(s, true);
    }

    private void add(String s, boolean escaped) {
      if (run.length() > 0 && escaped != runEscaped) {
        flush();
      }
      runEscaped = escaped;
      run.append(s);
    }

    private void flush() {
      if (run.length() > 0) {
        pieces.add(new Piece(run.toString(), runEscaped));
        run.setLength(0);
      }
    }

    List<Piece> done() {
      flush();
      return List.copyOf(pieces);
    }
  }
}
