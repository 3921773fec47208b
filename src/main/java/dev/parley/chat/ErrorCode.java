package dev.parley.chat;

/** The error codes of the wire contract, in the order the checks run, with default words. */
public enum ErrorCode {
  BAD_REQUEST("bad_request", "the request is malformed"),
  INVALID_ROOM("invalid_room", "room names are 1 to 32 characters of a-z, 0-9, _ and -, starting with a letter or digit"),
  INVALID_NAME("invalid_name", "names are 1 to 32 characters of A-Z, a-z, 0-9, _, . and -, and user<N> is reserved for guests"),
  NOT_JOINED("not_joined", "join the room first"),
  TOO_MANY_ROOMS("too_many_rooms", "this connection has joined the most rooms it may"),
  EMPTY("empty", "the text is blank"),
  TOO_LONG("too_long", "the text is too long"),
  RATE_LIMITED("rate_limited", "slow down: too many requests"),
  NAME_TAKEN("name_taken", "that name is in use"),
  UNAVAILABLE("unavailable", "the server could not store or deliver this right now; retrying with the same cid is safe");

  private final String wire;
  private final String words;

  ErrorCode(String wire, String words) {
    this.wire = wire;
    this.words = words;
  }

  /** The code as it appears on the wire, e.g. {@code bad_request}. */
  public String wire() {
    return wire;
  }

  /** A default human explanation. */
  public String words() {
    return words;
  }
}
