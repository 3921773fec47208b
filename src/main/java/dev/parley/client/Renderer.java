package dev.parley.client;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Turns what the session shows into styled lines: messages as {@code 14:03 ada: hello}, events as dim
 * system lines, errors in red. Every piece of text that came from the wire goes through
 * {@link SafeText}; without colour (not a terminal, {@code NO_COLOR}) no style is applied at all.
 */
final class Renderer {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
  /** Name colours: no red (errors) and no black or white (the background). */
  private static final int[] PALETTE = {
      AttributedStyle.CYAN, AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE, AttributedStyle.MAGENTA,
      AttributedStyle.BRIGHT + AttributedStyle.CYAN, AttributedStyle.BRIGHT + AttributedStyle.GREEN,
      AttributedStyle.BRIGHT + AttributedStyle.YELLOW, AttributedStyle.BRIGHT + AttributedStyle.BLUE,
      AttributedStyle.BRIGHT + AttributedStyle.MAGENTA};
  private static final String SYSTEM_MARK = "-- ";

  private final boolean colour;
  private final ZoneId zone;
  private final Clock clock;

  Renderer(boolean colour, ZoneId zone, Clock clock) {
    this.colour = colour;
    this.zone = zone;
    this.clock = clock;
  }

  static Renderer forTerminal(boolean colour) {
    return new Renderer(colour, ZoneId.systemDefault(), Clock.systemDefaultZone());
  }

  boolean colour() {
    return colour;
  }

  /**
   * A message: local time, sender, text; the room too when {@code showRoom}. Lines after the first are
   * indented under the text, so that no line of a message can pass for another message.
   */
  AttributedString message(Incoming.Message m, String me, boolean showRoom) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.styled(style(AttributedStyle.DEFAULT.faint()), time(m.ts())).append(' ');
    if (showRoom) {
      b.styled(style(roomStyle()), "#" + SafeText.plain(m.room())).append(' ');
    }
    boolean mine = me != null && me.equalsIgnoreCase(m.from());
    pieces(b, SafeText.line(m.from()), nameStyle(m.from(), mine));
    b.append(": ");
    int indent = b.columnLength();
    List<List<SafeText.Piece>> lines = SafeText.lines(m.text());
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        b.append('\n').append(" ".repeat(indent));
      }
      pieces(b, lines.get(i), AttributedStyle.DEFAULT);
    }
    return b.toAttributedString();
  }

  /** A dim system line (presence, typing, renames, connection state). */
  Line system() {
    return new Line(style(AttributedStyle.DEFAULT.faint()));
  }

  /** A system line that reports a failure, in red. */
  Line error() {
    return new Line(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
  }

  /** The prompt: the current room and the user's name ({@code offline} while reconnecting). */
  AttributedString prompt(String room, String name, boolean online) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    if (!online) {
      b.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)), "(offline) ");
    }
    if (room == null) {
      b.styled(style(AttributedStyle.DEFAULT.faint()), "(no room)");
    } else {
      b.styled(style(roomStyle()), "#" + SafeText.plain(room));
    }
    if (name != null) {
      b.append(' ');
      pieces(b, SafeText.line(name), nameStyle(name, true));
    }
    return b.append("> ").toAttributedString();
  }

  /** Builds one system line; parts that came from the wire are made safe. */
  final class Line {
    private final AttributedStringBuilder b = new AttributedStringBuilder();
    private final AttributedStyle base;

    private Line(AttributedStyle base) {
      this.base = base;
      b.styled(base, SYSTEM_MARK);
    }

    /** Text written by this client (trusted). */
    Line text(String text) {
      b.styled(base, text);
      return this;
    }

    /** Words from the server or the user: made safe. */
    Line words(String words) {
      pieces(b, SafeText.line(words), base);
      return this;
    }

    Line name(String name) {
      pieces(b, SafeText.line(name), colour ? nameStyle(name, false).faint() : base);
      return this;
    }

    Line room(String room) {
      pieces(b, SafeText.line("#" + room), colour ? roomStyle().faint() : base);
      return this;
    }

    Line names(List<String> names) {
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          text(", ");
        }
        name(names.get(i));
      }
      return this;
    }

    AttributedString done() {
      return b.toAttributedString();
    }
  }

  private void pieces(AttributedStringBuilder b, List<SafeText.Piece> pieces, AttributedStyle style) {
    for (SafeText.Piece piece : pieces) {
      b.styled(piece.escaped() ? style(style.inverse()) : style(style), piece.text());
    }
  }

  private String time(long ts) {
    ZonedDateTime at = Instant.ofEpochMilli(ts).atZone(zone);
    return at.toLocalDate().equals(LocalDate.now(clock.withZone(zone))) ? TIME.format(at) : DAY_AND_TIME.format(at);
  }

  private AttributedStyle nameStyle(String name, boolean mine) {
    int c = PALETTE[Math.floorMod(name.toLowerCase(Locale.ROOT).hashCode(), PALETTE.length)];
    AttributedStyle s = AttributedStyle.DEFAULT.foreground(c);
    return mine ? s.bold() : s;
  }

  private static AttributedStyle roomStyle() {
    return AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  }

  private AttributedStyle style(AttributedStyle s) {
    return colour ? s : AttributedStyle.DEFAULT;
  }
}
