package dev.parley.chat;

/** Why a command was refused: a contract error code and human words. */
public record Refusal(ErrorCode code, String words) {

  public static Refusal of(ErrorCode code) {
    return new Refusal(code, code.words());
  }

  public static Refusal of(ErrorCode code, String words) {
    return new Refusal(code, words);
  }
}
