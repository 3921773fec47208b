/**
 * {@code parley client}: a terminal client for the JSON protocol on {@code /ws}.
 *
 * <p>Interactive on a terminal (JLine: line editing, colours), scripted otherwise ({@code --send}, or
 * lines from stdin). One role per class:
 * <ul>
 *   <li>{@link dev.parley.client.ClientCommand}: the picocli command, chooses the mode;</li>
 *   <li>{@link dev.parley.client.ServerAddress}: the URL ({@code ws://}, {@code http://}, …) as connect options;</li>
 *   <li>{@link dev.parley.client.Link} and {@link dev.parley.client.Backoff}: one WebSocket, reconnected with backoff;</li>
 *   <li>{@link dev.parley.client.Outgoing} and {@link dev.parley.client.Incoming}: the frames of protocol v1;</li>
 *   <li>{@link dev.parley.client.Rooms}: the rooms joined, the current one and the last id seen in each
 *       (what makes a reconnect resume with {@code since} and show nothing twice);</li>
 *   <li>{@link dev.parley.client.ChatSession}: the interactive client's state machine, on the link's event loop;</li>
 *   <li>{@link dev.parley.client.UserInput}: what the user typed ({@code /nick}, {@code /join}, …);</li>
 *   <li>{@link dev.parley.client.SafeText} and {@link dev.parley.client.Renderer}: text from the wire made
 *       harmless, then styled;</li>
 *   <li>{@link dev.parley.client.TerminalUi}: the JLine terminal; {@link dev.parley.client.ScriptedClient}: bots and scripts.</li>
 * </ul>
 */
package dev.parley.client;
