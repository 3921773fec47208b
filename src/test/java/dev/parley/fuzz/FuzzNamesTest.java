package dev.parley.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.ErrorCode;
import dev.parley.chat.Refusal;
import dev.parley.chat.RoomNames;
import dev.parley.chat.TextRules;
import dev.parley.chat.UserNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the rules for user names, room names and message texts, each checked against
 * the contract's wording written out by hand (not the implementation's regular expressions).
 */
class FuzzNamesTest {

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.frequencyOf(Tuple.of(4, FuzzFrames.name()), Tuple.of(1, Arbitraries.strings().all()
        .ofMaxLength(40)), Tuple.of(1, Arbitraries.strings().withChars("aAiIıİsSßkK\u212a_.-019uUeErR").ofMaxLength(34)));
  }

  // ---------------------------------------------------------------- user names

  /** Names are ASCII [A-Za-z0-9_.-]{1,32}; user[0-9]+ in any case is reserved for guests. */
  @Property(tries = 3000)
  void aNameIsChoosableExactlyWhenTheContractAllowsIt(@ForAll("names") String name) {
    assertEquals(contractAllows(name), UserNames.isChoosable(name), () -> "for " + name);
  }

  private static boolean contractAllows(String name) {
    if (name.isEmpty() || name.length() > 32) {
      return false;
    }
    for (char c : name.toCharArray()) {
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
          || c == '-';
      if (!ok) {
        return false;
      }
    }
    boolean guest = name.length() > 4 && name.substring(0, 4).equalsIgnoreCase("user")
        && name.substring(4).chars().allMatch(c -> c >= '0' && c <= '9');
    return !guest;
  }

  @Property(tries = 2000)
  void theKeyOfANameIsIdempotentAndEveryCaseVariantOfAChoosableNameIsChoosableWithTheSameKey(
      @ForAll("names") String name) {
    String key = UserNames.key(name);
    assertEquals(key, UserNames.key(key));
    if (UserNames.isChoosable(name)) {
      String upper = name.toUpperCase(Locale.ROOT);
      assertTrue(UserNames.isChoosable(key), key);
      assertTrue(UserNames.isChoosable(upper), upper);
      assertEquals(key, UserNames.key(upper));
    }
  }

  @Property(tries = 2000)
  void twoChoosableNamesShareAKeyExactlyWhenTheyDifferOnlyInAsciiCase(@ForAll("names") String a,
      @ForAll("names") String b) {
    if (UserNames.isChoosable(a) && UserNames.isChoosable(b)) {
      assertEquals(a.equalsIgnoreCase(b), UserNames.key(a).equals(UserNames.key(b)), () -> a + " / " + b);
    }
  }

  @Property(tries = 1000)
  void aGuestNameMatchesTheNamePatternButCannotBeChosenAndNoTwoGuestsShareAKey(
      @ForAll @LongRange(min = 0) long n, @ForAll @LongRange(min = 0) long m) {
    String guest = UserNames.guest(n);
    assertTrue(guest.matches("[A-Za-z0-9_.-]{1,32}"), guest);
    assertFalse(UserNames.isChoosable(guest), guest);
    assertFalse(UserNames.isChoosable(guest.toUpperCase(Locale.ROOT)), guest);
    if (n != m) {
      assertNotEquals(UserNames.key(guest), UserNames.key(UserNames.guest(m)));
    }
  }

  /** Member lists: case-insensitive, ties by code point; a total order that is consistent with equals. */
  @Property(tries = 3000)
  void theMemberOrderIsATotalOrderConsistentWithEqualsAndWithKeys(@ForAll("names") String a,
      @ForAll("names") String b, @ForAll("names") String c) {
    int ab = Integer.signum(UserNames.ORDER.compare(a, b));
    assertEquals(-ab, Integer.signum(UserNames.ORDER.compare(b, a)), () -> a + " / " + b);
    assertEquals(a.equals(b), ab == 0, () -> a + " / " + b);
    int keys = Integer.signum(UserNames.key(a).compareTo(UserNames.key(b)));
    if (keys != 0) {
      assertEquals(keys, ab, () -> "keys decide first: " + a + " / " + b);
    }
    if (ab <= 0 && UserNames.ORDER.compare(b, c) <= 0) {
      assertTrue(UserNames.ORDER.compare(a, c) <= 0, () -> "transitive: " + a + " / " + b + " / " + c);
    }
  }

  @Property(tries = 500)
  void sortingByTheMemberOrderGivesNonDecreasingKeys(@ForAll("nameLists") List<String> names) {
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(UserNames.ORDER);
    for (int i = 1; i < sorted.size(); i++) {
      assertTrue(UserNames.key(sorted.get(i - 1)).compareTo(UserNames.key(sorted.get(i))) <= 0, sorted::toString);
    }
  }

  @Provide
  Arbitrary<List<String>> nameLists() {
    return names().list().ofMaxSize(20);
  }

  // ---------------------------------------------------------------- rooms

  @Provide
  Arbitrary<String> rooms() {
    return Arbitraries.frequencyOf(Tuple.of(4, FuzzFrames.room()), Tuple.of(1, Arbitraries.strings().all()
        .ofMaxLength(40)), Tuple.of(1, Arbitraries.strings().withChars("aZz09_-Aé ").ofMaxLength(34)));
  }

  /** Room names match ^[a-z0-9][a-z0-9_-]{0,31}$. */
  @Property(tries = 3000)
  void aRoomNameIsValidExactlyWhenTheContractAllowsIt(@ForAll("rooms") String room) {
    boolean allowed = !room.isEmpty() && room.length() <= 32 && lowerOrDigit(room.charAt(0))
        && room.chars().allMatch(c -> lowerOrDigit((char) c) || c == '_' || c == '-');
    assertEquals(allowed, RoomNames.isValid(room), () -> "for " + room);
    assertFalse(RoomNames.isValid(null));
  }

  private static boolean lowerOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  // ---------------------------------------------------------------- texts

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(Tuple.of(4, FuzzFrames.messageText()), Tuple.of(2, FuzzFrames.text(30)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
  }

  /** Texts with every lone surrogate and forbidden control character taken out. */
  @Provide
  Arbitrary<String> wellFormedTexts() {
    return texts().map(text -> {
      StringBuilder out = new StringBuilder();
      text.codePoints().filter(cp -> !(cp < 0x10000 && Character.isSurrogate((char) cp)))
          .filter(cp -> !Character.isISOControl(cp) || cp == '\t' || cp == '\n' || cp == '\r')
          .forEach(out::appendCodePoint);
      return out.toString();
    });
  }

  /** No unpaired surrogates; no control characters other than tab, line feed and carriage return. */
  @Property(tries = 3000)
  void aTextIsWellFormedExactlyWhenTheContractSaysSo(@ForAll("texts") String text) {
    boolean expected = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n'
          && c != '\r')) {
        expected = false;
      }
    }
    assertEquals(expected, TextRules.isWellFormed(text), () -> "for " + text.chars().mapToObj(Integer::toHexString)
        .toList());
  }

  /** Blank (only white space, as isWhitespace or isSpaceChar count it) → empty; over the limit in code points → too_long. */
  @Property(tries = 3000)
  void aWellFormedTextIsEmptyTooLongOrAcceptedByItsCodePoints(@ForAll("wellFormedTexts") String text,
      @ForAll @IntRange(min = 1, max = 5000) int max) {
    assertTrue(TextRules.isWellFormed(text), text);
    boolean blank = text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    int codePoints = text.codePointCount(0, text.length());
    Optional<Refusal> verdict = new TextRules(max).check(text);
    if (blank) {
      assertEquals(ErrorCode.EMPTY, verdict.map(Refusal::code).orElse(null), "blank");
    } else if (codePoints > max) {
      assertEquals(ErrorCode.TOO_LONG, verdict.map(Refusal::code).orElse(null), codePoints + " > " + max);
    } else {
      assertEquals(Optional.empty(), verdict, codePoints + " <= " + max);
    }
  }
}
