/**
 * The chat domain: rooms, members, names, messages and the rules that govern them.
 *
 * <p>It owns who may say what where: name and room patterns, text rules, rate limits,
 * membership, presence, typing throttles, idempotent sends and the ordered, gap-free
 * delivery of each room's messages to the sockets that joined it. {@link dev.parley.chat.ChatHub}
 * is the one stateful object; everything else here is a value or a pure rule.
 *
 * <p>It knows nothing of Vert.x, JSON, SQL or sockets: transports translate their wire
 * formats into {@link dev.parley.chat.Command}s and render {@link dev.parley.chat.Event}s,
 * and the store and broker ports carry messages in and out.
 */
package dev.parley.chat;
