// Everything the page shows, and nothing about the network or the DOM.
import { save } from './storage.js';

const TYPING_MS = 5000;
const MAX_NOTES = 50;

/** Case-insensitive order, ties by code point (as the server sorts names). */
export function sortNames(names) {
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return [...new Set(names)].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase()) || cmp(a, b));
}

export const sameName = (a, b) => typeof a === 'string' && typeof b === 'string'
  && a.toLowerCase() === b.toLowerCase();

function newRoom(name) {
  return {
    name,
    messages: new Map(), // id → message
    order: [],           // ids, ascending
    pending: new Map(),  // cid → {cid, text, status: 'sending'|'failed', code, error, ref, gen}
    notes: [],           // local system lines: {seq, afterId, text, error}
    unread: 0,
    members: [],
    typing: new Map(),   // name → time it expires
    joined: false,       // joined on the current connection
    more: null,          // from the last history reply; null: unknown
    loading: false,
    typingSentAt: 0,
  };
}

export class Store {
  constructor({ rooms, active }) {
    this.me = '';
    this.status = { state: 'connecting', seconds: 0 };
    this.rooms = new Map(rooms.map((name) => [name, newRoom(name)]));
    this.active = this.rooms.has(active) ? active : (rooms[0] ?? null);
    this.listeners = new Set();
    this.noteSeq = 0;
    this.scheduled = false;
  }

  subscribe(fn) {
    this.listeners.add(fn);
  }

  /** Coalesces many changes into one notification (works in background tabs too). */
  changed() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      for (const fn of this.listeners) fn(this);
    }, 0);
  }

  persist() {
    save([...this.rooms.keys()], this.active);
  }

  get activeRoom() {
    return this.rooms.get(this.active) ?? null;
  }

  addRoom(name) {
    if (!this.rooms.has(name)) this.rooms.set(name, newRoom(name));
    this.persist();
    this.changed();
    return this.rooms.get(name);
  }

  removeRoom(name) {
    const names = [...this.rooms.keys()];
    if (!this.rooms.delete(name)) return;
    if (this.active === name) {
      const i = names.indexOf(name);
      this.active = names[i + 1] ?? names[i - 1] ?? null;
      if (this.activeRoom) this.activeRoom.unread = 0;
    }
    this.persist();
    this.changed();
  }

  setActive(name) {
    const room = this.rooms.get(name);
    if (!room) return;
    this.active = name;
    room.unread = 0;
    this.persist();
    this.changed();
  }

  /** Adds messages by id, never twice, keeping the room sorted. Returns those that were new. */
  merge(room, messages) {
    const added = [];
    let replaced = false;
    for (const m of messages ?? []) {
      if (!m || !Number.isSafeInteger(m.id) || m.id < 1) continue;
      const known = room.messages.get(m.id);
      if (known && !known.local) continue;
      room.messages.set(m.id, { ...m, room: room.name });
      if (known) replaced = true;
      else added.push(m.id);
    }
    if (replaced) this.changed();
    if (added.length) {
      const last = room.order.at(-1) ?? 0;
      added.sort((a, b) => a - b);
      if (added[0] > last) room.order.push(...added);
      else room.order = [...room.messages.keys()].sort((a, b) => a - b);
      this.changed();
    }
    return added.map((id) => room.messages.get(id));
  }

  /** Forgets every message of a room (its history on the server started over). */
  clearMessages(room) {
    room.messages.clear();
    room.order = [];
    room.more = null;
    this.changed();
  }

  lastId(room) {
    return room.order.at(-1) ?? 0;
  }

  /**
   * The lowest id of the unbroken run of ids that ends at the newest one. Ids in a room are
   * consecutive, so anything below it, or a floor above 1, is something not loaded yet.
   */
  floor(room) {
    const ids = room.order;
    let i = ids.length - 1;
    while (i > 0 && ids[i - 1] === ids[i] - 1) i--;
    return ids[i] ?? 0;
  }

  note(roomName, text, error = false) {
    const room = this.rooms.get(roomName);
    if (!room) return false;
    room.notes.push({ seq: ++this.noteSeq, afterId: this.lastId(room), text, error });
    if (room.notes.length > MAX_NOTES) room.notes.shift();
    this.changed();
    return true;
  }

  setMembers(room, names) {
    room.members = sortNames(names.filter((n) => typeof n === 'string'));
    this.changed();
  }

  presence(room, name, event) {
    const others = room.members.filter((n) => !sameName(n, name));
    room.members = event === 'join' ? sortNames([...others, name]) : others;
    if (event !== 'join') room.typing.delete(name);
    this.changed();
  }

  /** Someone was renamed: every list that holds the old name gets the new one. */
  rename(from, to) {
    const rooms = [];
    for (const room of this.rooms.values()) {
      if (room.members.some((n) => sameName(n, from))) {
        room.members = sortNames([...room.members.filter((n) => !sameName(n, from)), to]);
        rooms.push(room.name);
      }
      room.typing.delete(from);
    }
    if (sameName(from, this.me)) this.me = to;
    this.changed();
    return rooms;
  }

  typing(room, name) {
    room.typing.set(name, Date.now() + TYPING_MS);
    setTimeout(() => this.changed(), TYPING_MS + 50);
    this.changed();
  }

  /** Names currently typing in a room, oldest expired ones dropped. */
  typists(room) {
    const now = Date.now();
    for (const [name, until] of room.typing) if (until <= now) room.typing.delete(name);
    return [...room.typing.keys()].filter((n) => !sameName(n, this.me));
  }

  setStatus(state, seconds = 0) {
    this.status = { state, seconds };
    this.changed();
  }

  totalUnread() {
    let n = 0;
    for (const room of this.rooms.values()) n += room.unread;
    return n;
  }
}
