package dev.parley.client;

import java.util.List;
import java.util.Locale;

/**
 * A line the user typed. Lines starting with {@code /} are commands; {@code //} at the start sends a
 * text that begins with {@code /}; anything else is a message to the current room.
 */
sealed interface UserInput {
  record Say(String text) implements UserInput {}

  record Nick(String name) implements UserInput {}

  record Join(String room) implements UserInput {}

  /** {@code room} is null for the current room. */
  record Leave(String room) implements UserInput {}

  /** {@code room} is null for the current room. */
  record Who(String room) implements UserInput {}

  record Help() implements UserInput {}

  record Quit() implements UserInput {}

  /** An empty line: nothing to do. */
  record Nothing() implements UserInput {}

  /** A command typed wrong; {@code words} say how to type it. */
  record Invalid(String words) implements UserInput {}

  List<String> HELP = List.of(
      "/join ROOM     join a room (or switch to it) and talk there",
      "/leave [ROOM]  leave a room (the current one by default)",
      "/nick NAME     change your name",
      "/who [ROOM]    list the people in a room",
      "/quit          leave the chat (also Ctrl-D)",
      "//text         send a message that starts with /",
      "anything else is a message to the current room");

  static UserInput parse(String line) {
    if (line == null || line.isBlank()) {
      return new Nothing();
    }
    if (line.startsWith("//")) {
      return new Say(line.substring(1));
    }
    if (!line.startsWith("/")) {
      return new Say(line);
    }
    String[] words = line.substring(1).strip().split("\\s+");
    String command = words[0].toLowerCase(Locale.ROOT);
    int args = words.length - 1;
    return switch (command) {
      case "nick", "name" -> args == 1 ? new Nick(words[1]) : new Invalid("usage: /nick NAME");
      case "join", "j" -> args == 1 ? new Join(room(words[1])) : new Invalid("usage: /join ROOM");
      case "leave", "part" -> args == 0 ? new Leave(null)
          : args == 1 ? new Leave(room(words[1])) : new Invalid("usage: /leave [ROOM]");
      case "who" -> args == 0 ? new Who(null)
          : args == 1 ? new Who(room(words[1])) : new Invalid("usage: /who [ROOM]");
      case "help", "?" -> new Help();
      case "quit", "exit", "q" -> new Quit();
      case "" -> new Invalid("a command follows the /: /help lists them");
      default -> new Invalid("unknown command /" + words[0] + ": /help lists them");
    };
  }

  /** Room names are lower case; {@code #Random} means {@code random}. */
  static String room(String typed) {
    String room = typed.startsWith("#") ? typed.substring(1) : typed;
    return room.toLowerCase(Locale.ROOT);
  }
}
