package dev.parley.web;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer, libFuzzer in the JVM) of the two wire formats, with the same
 * checks as the property tests: parsing never throws, answers a command or a bad_request whose
 * ref is at most 64 characters, agrees with the contract's shape rules; no /chat line can pass for
 * another user's. Without {@code JAZZER_FUZZ} (as in CI) each target replays its inputs; with
 * {@code JAZZER_FUZZ=1} one target fuzzes for up to {@code maxDuration} (see docs/fuzzing.md). The
 * dictionary gives the fuzzer the protocol's words, so that it reaches past "not JSON" quickly.
 */
class FuzzProtocolsJazzerTest {

  @FuzzTest(maxDuration = "10m")
  @DictionaryEntries({"{", "}", "[", "]", ":", ",", "\"", "null", "true", "1e400", "-1", "0", "101",
      "9223372036854775808", "\\ud800", "\\u0000", "\"type\"", "\"ref\"", "\"room\"", "\"text\"", "\"cid\"",
      "\"since\"", "\"before\"", "\"limit\"", "\"name\"", "\"join\"", "\"leave\"", "\"send\"", "\"typing\"",
      "\"nick\"", "\"history\"", "\"who\"", "\"general\""})
  void jsonFrames(FuzzedDataProvider data) {
    FuzzJsonProtocolTest.checkFrame(data.consumeRemainingAsString());
  }

  @FuzzTest(maxDuration = "10m")
  @DictionaryEntries({"/who", "/nick ", "/user ", "/help", " said: ", "user1", "\u2028"})
  void plainLines(FuzzedDataProvider data) {
    FuzzPlainProtocolTest.checkLine(data.consumeRemainingAsString());
  }
}
