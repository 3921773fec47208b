package dev.parley.web;

import dev.parley.chat.Command;
import dev.parley.chat.Event;
import dev.parley.chat.RoomNames;
import java.util.regex.Pattern;

/**
 * The tutorial's plain-text chat: a frame is a message to {@code general} or a slash command;
 * the socket sees {@code <name> said: <text>} lines and the answers to its own commands.
 */
final class PlainProtocol implements Protocol {
  /** Marks commands from this protocol, so that only their answers are shown. */
  static final String REF = "plain";
  static final String HELP = String.join("\n",
      "/who: list the people in general",
      "/nick NAME: change your name (also /user NAME)",
      "/help: show this help",
      "anything else is sent to everyone as a message");
  /** Every line break, so that continuation lines can be indented and never pass for another user's line. */
  private static final Pattern LINE_BREAK = Pattern.compile("(\r\n|\r|\n)");

  @Override
  public Parsed parse(String frame) {
    if (!frame.startsWith("/")) {
      return new Parsed.Ok(new Command.Send(REF, RoomNames.GENERAL, frame, null));
    }
    String[] parts = frame.strip().split("\\s+", 2);
    String argument = parts.length > 1 ? parts[1] : null;
    switch (parts[0]) {
      case "/who":
        return new Parsed.Ok(new Command.Who(REF, RoomNames.GENERAL));
      case "/nick":
      case "/user":
        return argument == null
            ? new Parsed.Malformed(REF, "usage: " + parts[0] + " NAME")
            : new Parsed.Ok(new Command.Nick(REF, argument));
      case "/help":
        return new Parsed.Local(HELP);
      default:
        return new Parsed.Malformed(REF, "unknown command " + abbreviate(parts[0]) + "; try /help");
    }
  }

  @Override
  public String encode(Event event) {
    if (event instanceof Event.Posted posted) {
      return said(posted.message().from(), posted.message().text());
    }
    if (event instanceof Event.Failure failure) {
      return "error: " + failure.code().wire() + ": " + failure.words();
    }
    if (event instanceof Event.NickChanged nick && REF.equals(nick.ref())) {
      return "you are now " + nick.to();
    }
    if (event instanceof Event.Members members && REF.equals(members.ref())) {
      return String.join(", ", members.members());
    }
    return null;
  }

  static String said(String from, String text) {
    return from + " said: " + LINE_BREAK.matcher(text).replaceAll("$1  ");
  }

  private static String abbreviate(String word) {
    return word.codePointCount(0, word.length()) <= 32 ? word : word.substring(0, word.offsetByCodePoints(0, 32)) + "…";
  }
}
