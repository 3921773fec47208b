package dev.parley.chat;

import java.util.regex.Pattern;

/** The rule for room names. */
public final class RoomNames {
  /** The room that always exists and that {@code /chat} sockets belong to. */
  public static final String GENERAL = "general";

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private RoomNames() {}

  public static boolean isValid(String room) {
    return room != null && VALID.matcher(room).matches();
  }
}
