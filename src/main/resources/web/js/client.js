// Protocol v1 over a Connection: commands with refs, replies into the Store.
// On every (re)connection it rejoins each room with `since` = the newest id it holds,
// and resends every unacknowledged message with its original `cid` once the room is joined.
import { sameName } from './state.js';

const TYPING_EVERY_MS = 3000;
const HISTORY_LIMIT = 50;
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'not_joined']);
const REJOIN_AFTER_MS = 2000;

export class ChatClient {
  /** ui: {toast(text), announce(text)} */
  constructor(store, ui) {
    this.store = store;
    this.ui = ui;
    this.conn = null;
    this.seq = 0;
    this.gen = 0;            // counts connections; a pending send remembers the one it went out on
    this.ready = false;      // `hello` received on the current connection
    this.waiting = new Map(); // ref → {type, room?, cid?, print?}
  }

  attach(conn) {
    this.conn = conn;
  }

  // ---- commands ---------------------------------------------------------------------------

  command(frame, meta = {}) {
    const ref = String(++this.seq);
    this.waiting.set(ref, { type: frame.type, room: frame.room, ...meta });
    this.conn.send({ ...frame, ref });
    return ref;
  }

  joinFrame(name) {
    const room = this.store.rooms.get(name);
    const since = room ? this.store.lastId(room) : 0;
    this.command(since ? { type: 'join', room: name, since } : { type: 'join', room: name });
  }

  join(name) {
    const known = this.store.rooms.has(name);
    this.store.addRoom(name);
    this.store.setActive(name);
    if (!known && this.ready) this.joinFrame(name);
  }

  leave(name) {
    const room = this.store.rooms.get(name);
    if (!room) return false;
    // Sent even while the join is in flight: the server answers them in order.
    if (this.ready) this.command({ type: 'leave', room: name });
    this.store.removeRoom(name);
    return true;
  }

  /** Shows the message at once as pending; it goes out now or after the next `joined`. */
  say(name, text) {
    const room = this.store.rooms.get(name);
    if (!room) return;
    // A sent message ends the typing spell: typing the next one is news again.
    room.typingSentAt = 0;
    const pending = { cid: crypto.randomUUID(), text, status: 'sending', gen: -1 };
    room.pending.set(pending.cid, pending);
    this.store.changed();
    this.transmit(room, pending);
  }

  transmit(room, pending) {
    if (!this.ready || !room.joined || pending.gen === this.gen) return;
    pending.gen = this.gen;
    pending.ref = this.command(
      { type: 'send', room: room.name, text: pending.text, cid: pending.cid },
      { cid: pending.cid },
    );
  }

  retry(name, cid) {
    const room = this.store.rooms.get(name);
    const pending = room?.pending.get(cid);
    if (!pending) return;
    Object.assign(pending, { status: 'sending', code: null, error: null, gen: -1 });
    this.store.changed();
    this.transmit(room, pending);
  }

  discard(name, cid) {
    this.store.rooms.get(name)?.pending.delete(cid);
    this.store.changed();
  }

  typing(name) {
    const room = this.store.rooms.get(name);
    const now = Date.now();
    if (!this.ready || !room?.joined || now - room.typingSentAt < TYPING_EVERY_MS) return;
    room.typingSentAt = now;
    // No reply; the `t` prefix marks its ref so that an error about it is ignored.
    this.conn.send({ type: 'typing', room: name, ref: `t${++this.seq}` });
  }

  nick(name) {
    if (!this.ready) return this.ui.toast('Not connected: try again when online.');
    this.command({ type: 'nick', name });
  }

  loadOlder(name) {
    const room = this.store.rooms.get(name);
    if (!this.ready || !room || room.loading) return;
    room.loading = true;
    this.store.changed();
    const before = this.store.floor(room);
    this.command({ type: 'history', room: name, before: before || undefined, limit: HISTORY_LIMIT });
  }

  who(name) {
    const room = this.store.rooms.get(name);
    if (!room) return;
    if (this.ready) this.command({ type: 'who', room: name }, { print: true });
    else this.printMembers(room);
  }

  printMembers(room) {
    const names = room.members.join(', ') || 'nobody';
    this.store.note(room.name, `In #${room.name} (${room.members.length}): ${names}`);
  }

  // ---- connection events -----------------------------------------------------------------

  onOpen() {
    this.gen++;
  }

  onClose() {
    this.ready = false;
    this.waiting.clear();
    for (const room of this.store.rooms.values()) {
      room.joined = false;
      room.loading = false;
      room.typing.clear();
    }
    this.store.changed();
  }

  onFrame(frame) {
    const meta = frame.ref != null ? this.waiting.get(frame.ref) : undefined;
    if (meta) this.waiting.delete(frame.ref);
    const handler = this.handlers[frame.type];
    if (handler) handler.call(this, frame, meta);
  }

  roomOf(frame) {
    return typeof frame.room === 'string' ? this.store.rooms.get(frame.room) : undefined;
  }

  handlers = {
    hello(f) {
      this.store.me = String(f.name ?? '');
      this.ready = true;
      for (const name of this.store.rooms.keys()) this.joinFrame(name);
      this.store.changed();
    },

    joined(f) {
      const room = this.roomOf(f);
      if (!room) return;
      const held = this.store.lastId(room);
      if (Number.isSafeInteger(f.lastId) && f.lastId < held) {
        // The server's history of this room is not the one we hold (e.g. a fresh store).
        this.store.clearMessages(room);
      }
      const rejoin = room.order.length > 0;
      room.joined = true;
      this.store.setMembers(room, Array.isArray(f.members) ? f.members : []);
      const added = this.store.merge(room, f.messages);
      if (rejoin && f.recovered !== true) {
        room.more = null;
        if (this.store.floor(room) > room.order[0]) {
          this.store.note(room.name, 'Reconnected after a long gap: some messages are not loaded yet.');
        }
      }
      if (rejoin) this.countUnread(room, added);
      for (const pending of room.pending.values()) {
        if (pending.status === 'sending') this.transmit(room, pending);
      }
    },

    left() {
      // The room was already dropped when the user left it (it may even be joined again).
    },

    ack(f, meta) {
      const room = this.roomOf(f);
      const pending = room?.pending.get(meta?.cid);
      if (!pending) return;
      room.pending.delete(pending.cid);
      // Shown at once; the `message` that follows replaces it (same id, never twice).
      this.store.merge(room, [{ id: f.id, ts: f.ts, from: this.store.me, text: pending.text, local: true }]);
      this.store.changed();
    },

    message(f) {
      const room = this.roomOf(f);
      if (!room) return;
      const added = this.store.merge(room, [f]);
      if (!added.length) return;
      room.typing.delete(f.from);
      this.countUnread(room, added);
      if (room.name === this.store.active && !sameName(f.from, this.store.me)) {
        this.ui.announce(`${f.from} in #${room.name}: ${String(f.text).slice(0, 200)}`);
      }
    },

    history(f) {
      const room = this.roomOf(f);
      if (!room) return;
      room.loading = false;
      this.store.merge(room, f.messages);
      room.more = f.more === true;
      this.store.changed();
    },

    members(f, meta) {
      const room = this.roomOf(f);
      if (!room || !Array.isArray(f.members)) return;
      this.store.setMembers(room, f.members);
      if (meta?.print) this.printMembers(room);
    },

    presence(f) {
      const room = this.roomOf(f);
      if (room && typeof f.name === 'string') this.store.presence(room, f.name, f.event);
    },

    typing(f) {
      const room = this.roomOf(f);
      if (room && typeof f.name === 'string' && !sameName(f.name, this.store.me)) {
        this.store.typing(room, f.name);
      }
    },

    nick(f) {
      if (typeof f.from !== 'string' || typeof f.to !== 'string') return;
      const mine = sameName(f.from, this.store.me);
      const rooms = this.store.rename(f.from, f.to);
      if (mine) this.ui.toast(`You are now ${f.to}.`);
      else for (const name of rooms) this.store.note(name, `${f.from} is now known as ${f.to}.`);
    },

    error(f, meta) {
      const words = `${f.message || f.code || 'error'}`;
      const room = meta?.room && this.store.rooms.get(meta.room);
      switch (meta?.type) {
        case 'send': {
          const pending = room?.pending.get(meta.cid);
          if (!pending) return;
          if (f.code === 'not_joined' && !pending.rejoined) {
            // The server lost our membership: join again, and the send goes out after `joined`.
            Object.assign(pending, { rejoined: true, gen: -1 });
            room.joined = false;
            this.joinFrame(room.name);
            return;
          }
          Object.assign(pending, { status: 'failed', code: f.code, error: words, retryable: RETRYABLE.has(f.code) });
          this.store.changed();
          return;
        }
        case 'join':
          if (!room) return;
          if (f.code === 'rate_limited' || f.code === 'unavailable') {
            const gen = this.gen;
            setTimeout(() => {
              if (this.ready && gen === this.gen && this.store.rooms.has(meta.room)) this.joinFrame(meta.room);
            }, REJOIN_AFTER_MS);
          } else {
            this.store.removeRoom(meta.room);
            this.ui.toast(`Could not join #${meta.room}: ${words}`);
          }
          return;
        case 'history':
          if (room) room.loading = false;
          this.store.changed();
          this.ui.toast(`Could not load older messages: ${words}`);
          return;
        case 'leave':
          return;
        default:
          if (typeof f.ref === 'string' && f.ref.startsWith('t')) return;
          this.ui.toast(meta?.type ? `/${meta.type}: ${words}` : words);
      }
    },
  };

  countUnread(room, added) {
    if (room.name === this.store.active) return;
    room.unread += added.filter((m) => !sameName(m.from, this.store.me)).length;
    this.store.changed();
  }
}
