/**
 * HTTP and WebSocket transport: the JSON protocol on {@code /ws}, the tutorial's plain-text
 * chat on {@code /chat}, session cookies, the origin check and per-IP limits on upgrades,
 * the static browser client, the rooms API, health, readiness and metrics.
 *
 * <p>Everything here runs on one Vert.x event loop, the hub's: a connection's frames are
 * parsed into {@link dev.parley.chat.Command}s and handed to the hub, and the hub's
 * {@link dev.parley.chat.Event}s are encoded once and written to every socket they are for.
 */
package dev.parley.web;
