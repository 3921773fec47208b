/**
 * HTTP and WebSocket transport: the JSON protocol on {@code /ws}, the tutorial's plain-text
 * chat on {@code /chat}, session cookies, the origin check and per-IP limits on upgrades,
 * the static browser client, the rooms API, health, readiness and metrics.
 *
 * <p>HTTP and handshakes run on the hub's event loop; each WebSocket is then served by one of a
 * few socket loops. A connection's frames are parsed on its loop into
 * {@link dev.parley.chat.Command}s and handed to the hub; the hub's
 * {@link dev.parley.chat.Event}s are encoded once, and each socket loop is handed its share of
 * the writes once per turn ({@link dev.parley.web.Outbox}).
 */
package dev.parley.web;
