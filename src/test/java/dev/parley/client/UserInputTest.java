package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a typed line means. */
@Timeout(60)
class UserInputTest {
  @Test
  void plainTextIsAMessageSentAsTyped() {
    assertEquals(new UserInput.Say("  hi, it's \"me\" \\o/  "), UserInput.parse("  hi, it's \"me\" \\o/  "));
  }

  @Test
  void aDoubleSlashSendsATextThatStartsWithASlash() {
    assertEquals(new UserInput.Say("/shrug"), UserInput.parse("//shrug"));
  }

  @Test
  void commandsAndTheirArguments() {
    assertEquals(new UserInput.Nick("Ada_L"), UserInput.parse("/nick Ada_L"));
    assertEquals(new UserInput.Join("random"), UserInput.parse("/join #Random"));
    assertEquals(new UserInput.Join("ops"), UserInput.parse("/JOIN ops "));
    assertEquals(new UserInput.Leave(null), UserInput.parse("/leave"));
    assertEquals(new UserInput.Leave("ops"), UserInput.parse("/leave ops"));
    assertEquals(new UserInput.Who(null), UserInput.parse("/who"));
    assertEquals(new UserInput.Who("ops"), UserInput.parse("/who #ops"));
    assertEquals(new UserInput.Quit(), UserInput.parse("/quit"));
    assertEquals(new UserInput.Help(), UserInput.parse("/help"));
  }

  @Test
  void commandsTypedWrongSayHow() {
    assertEquals(new UserInput.Invalid("usage: /nick NAME"), UserInput.parse("/nick"));
    assertEquals(new UserInput.Invalid("usage: /join ROOM"), UserInput.parse("/join a b"));
    assertEquals(new UserInput.Invalid("unknown command /dance: /help lists them"), UserInput.parse("/dance now"));
    assertInstanceOf(UserInput.Invalid.class, UserInput.parse("/"));
  }

  @Test
  void anEmptyOrBlankLineDoesNothing() {
    assertEquals(new UserInput.Nothing(), UserInput.parse(""));
    assertEquals(new UserInput.Nothing(), UserInput.parse("   "));
  }
}
