package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.chat.Command;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.Event;
import dev.parley.chat.Message;
import dev.parley.chat.RoomNames;
import dev.parley.fuzz.FuzzFrames;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of the plain-text protocol ({@code /chat}) over generated lines: parsing never
 * throws and always answers a command, a bad_request or a local reply; a line that is not a
 * command is sent verbatim; and no line a user sends can pass for another user's line.
 */
class FuzzPlainProtocolTest {
  private static final Pattern BREAK = Pattern.compile("\r\n|\r|\n");

  @Provide
  Arbitrary<String> lines() {
    return Arbitraries.frequencyOf(
        Tuple.of(8, FuzzFrames.plainLine()),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
        Tuple.of(1, Combinators.combine(Arbitraries.of("/", "/nick", "/user", "/who", "/help"),
            Arbitraries.strings().all().ofMaxLength(40)).as(String::concat)));
  }

  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void parsingAnyLineAnswersACommandABadRequestOrALocalReplyAndNeverThrows(@ForAll("lines") String line) {
    checkLine(line);
  }

  /** The target the coverage-guided fuzzer (FuzzProtocolsJazzerTest) runs too. */
  static void checkLine(String line) {
    Protocol.Parsed parsed = new PlainProtocol().parse(line);
    assertNotNull(parsed, line);
    if (parsed instanceof Protocol.Parsed.Malformed bad) {
      assertTrue(bad.ref() == null || bad.ref().length() <= JsonProtocol.MAX_REF, bad::toString);
      assertTrue(line.startsWith("/"), () -> "only a command can be malformed: " + line);
    } else if (parsed instanceof Protocol.Parsed.Local local) {
      assertEquals(PlainProtocol.HELP, local.reply());
    } else {
      Command command = assertInstanceOf(Protocol.Parsed.Ok.class, parsed).command();
      assertEquals(PlainProtocol.REF, command.ref());
      if (!line.startsWith("/")) {
        assertEquals(new Command.Send(PlainProtocol.REF, RoomNames.GENERAL, line, null), command);
      }
    }
    String said = new PlainProtocol().encode(new Event.Posted(new Message("general", 1, "alice", line, 0)));
    String[] lines = BREAK.split(said, -1);
    for (int i = 1; i < lines.length; i++) {
      assertTrue(lines[i].startsWith("  "), () -> "a line that could pass for another: " + List.of(lines));
    }
  }

  @Provide
  Arbitrary<String> messages() {
    return lines().filter(line -> !line.startsWith("/"));
  }

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void aLineThatIsNotACommandIsSentToGeneralVerbatim(@ForAll("messages") String text) {
    Protocol.Parsed parsed = new PlainProtocol().parse(text);
    assertEquals(new Command.Send(PlainProtocol.REF, RoomNames.GENERAL, text, null),
        assertInstanceOf(Protocol.Parsed.Ok.class, parsed).command());
  }

  @Property(tries = 2000)
  void nickAndUserTakeTheRestOfTheLineAsTheName(@ForAll("commandWords") String word, @ForAll("gaps") String gap,
      @ForAll("names") String name) {
    Protocol.Parsed parsed = new PlainProtocol().parse(word + gap + name);
    assertEquals(new Command.Nick(PlainProtocol.REF, name), assertInstanceOf(Protocol.Parsed.Ok.class, parsed,
        () -> "for " + word + gap + name).command());
  }

  @Provide
  Arbitrary<String> commandWords() {
    return Arbitraries.of("/nick", "/user");
  }

  @Provide
  Arbitrary<String> gaps() {
    return Arbitraries.strings().withChars(' ', '\t', '\n', '\r', '\f', '\u000b').ofMinLength(1).ofMaxLength(4);
  }

  /** A name with no white space at either end (inside it, white space is the name's problem, not the parser's). */
  @Provide
  Arbitrary<String> names() {
    return FuzzFrames.name().filter(n -> !n.isEmpty() && n.strip().equals(n) && !Character.isWhitespace(n.charAt(0))
        && !n.matches("(?s)^\\s.*|.*\\s$"));
  }

  /** "error: bad_request: unknown command /…" quotes the word; cut at 32 chars it must not split a surrogate pair. */
  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void theWordsOfAnUnknownCommandAreWellFormedUnicodeWhenTheLineIs(@ForAll("words") String word) {
    Protocol.Parsed parsed = new PlainProtocol().parse("/" + word);
    if (parsed instanceof Protocol.Parsed.Malformed bad) {
      assertTrue(FuzzJsonProtocolTest.wellFormed(bad.words()),
          () -> "words with a broken surrogate pair: " + FuzzJsonProtocolTest.escape(bad.words()));
    }
  }

  @Provide
  Arbitrary<String> words() {
    return FuzzFrames.text(40).map(FuzzJsonProtocolTest::repairSurrogates).map(s -> s.replaceAll("\\s", "x"));
  }

  /**
   * Whatever a user writes, the delivered line starts with its sender's name and every line
   * after a break starts with two spaces, so no line passes for {@code <someone> said: …}; and
   * taking those two spaces out gives back the text exactly.
   */
  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void noLineOfAMessageCanPassForAnotherUsersLine(@ForAll("texts") String text) {
    PlainProtocol protocol = new PlainProtocol();
    String frame = protocol.encode(new Event.Posted(new Message("general", 1, "alice", text, 0)));
    assertTrue(frame.startsWith("alice said: "), frame);
    String[] lines = BREAK.split(frame, -1);
    for (int i = 1; i < lines.length; i++) {
      assertTrue(lines[i].startsWith("  "), () -> "a line that could pass for another: " + List.of(lines));
    }
    assertEquals("alice said: " + text, frame.replaceAll("(\r\n|\r|\n)  ", "$1"));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(Tuple.of(3, FuzzFrames.messageText()), Tuple.of(1, FuzzFrames.text(60)),
        Tuple.of(1, Arbitraries.strings().withChars('\r', '\n', ' ', 'a', 'l', 'i', 'c', 'e', 's', 'd', ':')
            .ofMaxLength(40)));
  }

  /** /chat shows messages, errors and the answers to its own commands; everything else renders as nothing. */
  @Property(tries = 1000)
  void aPlainSocketIsShownOnlyMessagesErrorsAndAnswersToItsOwnCommands(@ForAll("anyRef") String ref,
      @ForAll("texts") String words) {
    PlainProtocol protocol = new PlainProtocol();
    assertEquals("error: rate_limited: " + words,
        protocol.encode(new Event.Failure(ref, ErrorCode.RATE_LIMITED, words)));
    String nick = protocol.encode(new Event.NickChanged(ref, "a", "b"));
    String members = protocol.encode(new Event.Members(ref, "general", List.of("a", "b")));
    if (PlainProtocol.REF.equals(ref)) {
      assertEquals("you are now b", nick);
      assertEquals("a, b", members);
    } else {
      assertNull(nick);
      assertNull(members);
    }
    assertNull(protocol.encode(new Event.Hello("a")));
    assertNull(protocol.encode(new Event.Joined(ref, "general", List.of(), 0, List.of(), null)));
    assertNull(protocol.encode(new Event.Presence("general", "a", true)));
    assertNull(protocol.encode(new Event.Typing("general", "a")));
    assertNull(protocol.encode(new Event.Ack(ref, "general", 1, 1)));
  }

  @Provide
  Arbitrary<String> anyRef() {
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(PlainProtocol.REF)),
        Tuple.of(1, Arbitraries.just((String) null)), Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
  }
}
