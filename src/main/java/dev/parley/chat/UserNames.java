package dev.parley.chat;

import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for user names: pattern, guest reservation, case-insensitive identity, order. */
public final class UserNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final Pattern GUEST = Pattern.compile("user[0-9]+", Pattern.CASE_INSENSITIVE);

  /** Case-insensitive order, ties broken by code point, as member lists are sorted. */
  public static final Comparator<String> ORDER =
      Comparator.comparing((String name) -> key(name)).thenComparing(Comparator.naturalOrder());

  private UserNames() {}

  /** Whether a user may ask for this name: it matches the pattern and is not a guest name. */
  public static boolean isChoosable(String name) {
    return name != null && VALID.matcher(name).matches() && !GUEST.matcher(name).matches();
  }

  /** The name a guest with this number is given. */
  public static String guest(long number) {
    return "user" + number;
  }

  /** The identity of a name: two names with the same key cannot be held by two users. */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
