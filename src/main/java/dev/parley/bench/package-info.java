/**
 * {@code parley bench}: a WebSocket load generator written straight on Netty, for measuring a
 * chat server (Parley or a reference server) from outside, over real sockets.
 *
 * <p>It owns the scenarios ({@code idle}, {@code fanout}, {@code chat}, {@code handshakes}, and
 * the {@code churn} soak with its readings of the server's files, threads and heap after GC), the
 * client connections they open (spread over the source addresses 127.0.0.2, 127.0.0.3, … so that
 * ephemeral ports never run out), the latency stamps carried in message texts, the histograms
 * (HdrHistogram, recorded from each message's <em>intended</em> send time, so a stalled server
 * cannot hide its stall: no coordinated omission), the readings of the server's memory and CPU
 * from {@code /proc}, and the output: progress on stderr, a summary table and one
 * {@code RESULT {json}} line on stdout.
 *
 * <p>It depends on nothing else in Parley: it speaks the wire protocols of {@code /chat} (plain
 * text) and {@code /ws} (JSON) as any other client would, so it measures reference servers too.
 */
package dev.parley.bench;
