package dev.parley.chat;

/**
 * The per-connection limits the domain enforces.
 *
 * @param maxText text length in code points
 * @param sendBurst sends a connection may make at once
 * @param sendRate sends regained per second (0: no limit)
 * @param commandBurst other commands a connection may make at once
 * @param commandRate other commands regained per second (0: no limit)
 * @param maxRooms rooms one connection may have joined
 */
public record Limits(int maxText, int sendBurst, double sendRate, int commandBurst, double commandRate,
    int maxRooms) {

  public static Limits defaults() {
    return new Limits(4000, 20, 2, 50, 10, 50);
  }
}
