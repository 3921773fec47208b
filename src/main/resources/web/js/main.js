// Bootstrap: saved rooms → Store; Connection ↔ ChatClient; View renders and sends actions.
import { HELP, parse } from './commands.js';
import { ChatClient } from './client.js';
import { Connection } from './connection.js';
import { Store } from './state.js';
import { loadSaved } from './storage.js';
import { View } from './view.js';

const store = new Store(loadSaved());
let view;
const client = new ChatClient(store, {
  toast: (text) => view.toast(text),
  announce: (text) => view.announce(text),
});

/** A local line in the active room, or a toast when there is none. */
function say(text, error = false) {
  if (!store.note(store.active, text, error)) view.toast(text);
}

function submit(input) {
  const command = parse(input);
  const room = store.active;
  switch (command.kind) {
    case 'text':
      if (!room) {
        say('Join a room first.', true);
        return false;
      }
      client.say(room, command.text);
      return true;
    case 'nick':
      return client.nick(command.arg);
    case 'join':
      return client.join(command.arg);
    case 'leave': {
      const target = command.arg ?? room;
      if (!target || !client.leave(target)) say(`You are not in #${target ?? '…'}.`, true);
      return true;
    }
    case 'who':
      if (!room) return say('Join a room first.', true);
      return client.who(room);
    case 'help':
      return say(HELP);
    default:
      say(command.message, true);
      return false; // keep the text so it can be corrected
  }
}

view = new View(store, {
  selectRoom: (name) => store.setActive(name),
  joinRoom: (name) => client.join(name),
  leaveRoom: (name) => client.leave(name),
  submit,
  typing: () => store.active && client.typing(store.active),
  loadOlder: () => store.active && client.loadOlder(store.active),
  retry: (cid) => client.retry(store.active, cid),
  discard: (cid) => client.discard(store.active, cid),
  reconnectNow: () => connection.reconnectNow(),
});

const connection = new Connection({
  onStatus: (state, seconds) => store.setStatus(state, seconds),
  onOpen: () => client.onOpen(),
  onFrame: (frame) => client.onFrame(frame),
  onClose: () => client.onClose(),
});
client.attach(connection);
connection.start();
view.render();
