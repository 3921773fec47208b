package dev.parley.store;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process that {@link SqliteFaultsTest} kills with {@code kill -9}: it appends from a
 * number of concurrent senders, each waiting for its ack before the next send, and prints
 * one line {@code acked <id> <text> end} per acknowledged message, flushed at once, so that
 * the test knows exactly which messages were acknowledged before the kill.
 *
 * <p>Arguments: the data folder, the number of senders.
 */
public final class SqliteAppender {
  private static final PrintStream OUT = new PrintStream(System.out, true);

  private SqliteAppender() {}

  public static void main(String[] args) throws InterruptedException {
    SqliteStore store = new SqliteStore(Path.of(args[0]));
    int senders = Integer.parseInt(args[1]);
    for (int s = 0; s < senders; s++) {
      send(store, s, 0);
    }
    OUT.println("started");
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void send(SqliteStore store, int sender, int seq) {
    String text = "s" + sender + "-" + seq;
    store.append(new NewMessage("general", "sender" + sender, "c" + seq, "bot", text, System.currentTimeMillis()))
        .whenComplete((appended, failure) -> {
          if (failure == null) {
            synchronized (OUT) {
              OUT.println("acked " + appended.message().id() + " " + appended.message().text() + " end");
            }
            send(store, sender, seq + 1);
          } else {
            send(store, sender, seq); // retry with the same cid, as a client would
          }
        });
  }
}
