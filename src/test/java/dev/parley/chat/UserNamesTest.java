package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class UserNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"alice", "A", "0", "a.b-c_d", "Mr.Smith", "...", "-", "_", "user", "user1a", "userx",
      "users", "xuser1", "user_1", "user-1", "user.1", "1user", "USER", "abcdefghijklmnopqrstuvwxyz012345"})
  void aNameOfOneTo32AllowedCharactersThatIsNotAGuestNameIsChoosable(String name) {
    assertTrue(UserNames.isChoosable(name), name);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"abcdefghijklmnopqrstuvwxyz0123456", "al ice", "alice!", "a/b", "caf\u00e9", "name\n",
      "\u0430lice", "\uFF41", "user\u0661", "a@b", "a+b"})
  void aNameOutsideThePatternIsNotChoosable(String name) {
    assertFalse(UserNames.isChoosable(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"user123", "USER7", "User0", "uSeR42", "user0000", "user9999999999999999999999999999"})
  void userFollowedByDigitsInAnyCaseIsReservedForGuests(String name) {
    assertFalse(UserNames.isChoosable(name), name);
  }

  @Test
  void aGuestNameIsUserAndItsNumber() {
    assertEquals("user7", UserNames.guest(7));
    assertEquals("user12345678901", UserNames.guest(12_345_678_901L));
  }

  @Test
  void keysCompareNamesCaseInsensitivelyWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr"));
      assertEquals(UserNames.key("ILIA"), UserNames.key("ilia"), "Turkish dotless i must not leak in");
      assertEquals("ilia", UserNames.key("ILIA"));
    } finally {
      Locale.setDefault(before);
    }
    assertNotEquals(UserNames.key("alice"), UserNames.key("alice_"));
  }

  @Test
  void namesSortCaseInsensitivelyWithTiesByCodePoint() {
    List<String> expected = List.of("al", "ALICE", "Alice", "aLICE", "alice", "alice2", "Bob", "bob", "carol", "Zed");
    for (long seed = 0; seed < 20; seed++) {
      List<String> names = new ArrayList<>(expected);
      Collections.shuffle(names, new Random(seed));
      names.sort(UserNames.ORDER);
      assertEquals(expected, names, "seed " + seed);
    }
  }

  @Test
  void punctuationAndDigitsSortByTheirLowerCaseCodePoints() {
    // Folding to lower case (as the browser client's sortNames does) puts '_' between digits and letters.
    List<String> names = new ArrayList<>(List.of("Zoe", "_x", "9", "alice", ".dot", "-dash", "Bob"));
    names.sort(UserNames.ORDER);
    assertEquals(List.of("-dash", ".dot", "9", "_x", "alice", "Bob", "Zoe"), names);
  }
}
