package dev.parley.app;

import dev.parley.web.WebConfig;
import java.nio.file.Path;

/**
 * Everything Parley is told at start-up.
 *
 * @param data the folder of the embedded store
 * @param db a PostgreSQL JDBC URL, or {@code null} for the embedded store
 * @param redis a Redis URL, or {@code null} for the in-process broker
 * @param inMemory keep everything in memory (nothing survives a restart)
 * @param retainDays prune messages older than this many days (0: keep them)
 * @param retainMessages keep at most this many messages per room (0: all)
 * @param web what the web server needs
 */
public record Settings(Path data, String db, String redis, boolean inMemory, int retainDays, int retainMessages,
    WebConfig web) {}
