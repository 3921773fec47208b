package dev.parley.store;

import static dev.parley.store.MessageStoreContract.await;
import static dev.parley.store.MessageStoreContract.idRange;
import static dev.parley.store.MessageStoreContract.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.chat.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real faults under the SQLite store, not simulations: a process killed with SIGKILL while
 * it sends, and a data folder that runs out of space.
 *
 * <p>Why a full disk: tests run as root, for whom a read-only folder ({@code chmod}) does not
 * stop writes, and a file already open keeps working when its folder is renamed or removed.
 * A small tmpfs mounted for the test does fail SQLite's writes honestly ({@code SQLITE_FULL},
 * whatever the user), and freeing space makes the cause go away. Mounting needs root (or
 * CAP_SYS_ADMIN); elsewhere that test is skipped.
 */
class SqliteFaultsTest {
  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesKillDashNine() throws Exception {
    Path data = dir.resolve("data");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        SqliteAppender.class.getName(), data.toString(), "20")
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    Map<Long, String> acked = new HashMap<>();
    CountDownLatch enough = new CountDownLatch(3_000);
    Thread reader = new Thread(() -> readAcks(child, acked, enough));
    reader.start();
    try {
      assertTrue(enough.await(60, TimeUnit.SECONDS), "the child acknowledged 3000 messages; see child.err");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-batch
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      reader.join(10_000);
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");

    try (SqliteStore store = new SqliteStore(data)) {
      long lastId = await(store.lastId("general"));
      long maxAcked;
      synchronized (acked) {
        maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(acked.size() >= 3_000);
      }
      assertTrue(lastId >= maxAcked, "last id " + lastId + " covers every ack up to " + maxAcked);
      List<Message> all = await(store.range("general", 0, Long.MAX_VALUE, Integer.MAX_VALUE));
      assertEquals(idRange(1, lastId), ids(all), "consecutive from 1, nothing partial");
      synchronized (acked) {
        for (Map.Entry<Long, String> e : acked.entrySet()) {
          assertEquals(e.getValue(), all.get((int) (e.getKey() - 1)).text(), "acked message " + e.getKey());
        }
      }
      assertEquals(all.size(), all.stream().map(Message::text).distinct().count(), "no message stored twice");
      assertEquals(lastId + 1, await(store.append(new NewMessage("general", "x", null, "x", "after", 1))).message().id());
    }
  }

  private static void readAcks(Process child, Map<Long, String> acked, CountDownLatch enough) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] parts = line.split(" ");
        if (parts.length == 4 && parts[0].equals("acked") && parts[3].equals("end")) {
          synchronized (acked) {
            acked.put(Long.parseLong(parts[1]), parts[2]);
          }
          enough.countDown();
        }
      }
    } catch (IOException e) {
      // the child died: what was read is what was acknowledged
    }
  }

  @Test
  void aFullDiskFailsStagesAndTheStoreRecoversWhenSpaceReturns() throws Exception {
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString()) == 0,
        "cannot mount a tmpfs here (needs root)");
    try {
      Path filler = disk.resolve("filler");
      List<Message> acked = new ArrayList<>();
      try (SqliteStore store = new SqliteStore(disk.resolve("data"))) {
        acked.add(await(store.append(text(0))).message());
        fill(filler);
        Exception failure = null;
        for (int i = 1; i < 5_000 && failure == null; i++) {
          try {
            acked.add(await(store.append(text(i))).message());
          } catch (TimeoutException e) {
            throw new AssertionError("a stage hung instead of failing", e);
          } catch (Exception e) {
            failure = e;
          }
        }
        assertTrue(failure instanceof StoreUnavailableException, "writes fail on a full disk: " + failure);
        assertTrue(failure.getMessage().startsWith("SQLite store at "), failure.getMessage());
        assertEquals(acked.size(), await(store.lastId("general")), "reads still work");

        Files.delete(filler); // the cause goes away; no restart
        Message next = await(store.append(text(acked.size()))).message();
        assertEquals(acked.size() + 1, next.id(), "the failed append used no id");
        acked.add(next);
        await(store.ping());
        assertEquals(acked, await(store.range("general", 0, Long.MAX_VALUE, 100_000)));
      }
      try (SqliteStore reopened = new SqliteStore(disk.resolve("data"))) {
        assertEquals(acked, await(reopened.range("general", 0, Long.MAX_VALUE, 100_000)));
      }
    } finally {
      if (run("umount", disk.toString()) != 0) {
        run("umount", "-l", disk.toString());
      }
    }
  }

  private static NewMessage text(int i) {
    return new NewMessage("general", "s", "c" + i, "filler", i + " " + "x".repeat(2_000), i);
  }

  /** Writes until the file system says it is full. */
  private static void fill(Path filler) {
    byte[] chunk = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      // no space left: that is the point
    }
    assertTrue(Files.exists(filler), "the filler was written");
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
