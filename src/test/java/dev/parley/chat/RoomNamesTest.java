package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class RoomNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"general", "a", "0", "9lives", "a-b_c", "a--", "a__", "abcdefghijklmnopqrstuvwxyz012345"})
  void aLowerCaseNameOfOneTo32CharactersStartingWithALetterOrDigitIsValid(String room) {
    assertTrue(RoomNames.isValid(room), room);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"-a", "_a", "General", "GENERAL", "a b", "a.b", "a/b", "abcdefghijklmnopqrstuvwxyz0123456",
      "caf\u00e9", "general\n", " general", "\uFF47eneral", "r\u0430om"})
  void anythingElseIsInvalid(String room) {
    assertFalse(RoomNames.isValid(room), room);
  }
}
