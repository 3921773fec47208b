// Joined rooms and the active room survive a reload (localStorage; may be unavailable).
import { ROOM_RE } from './commands.js';

const KEY = 'parley.v1';

export function loadSaved() {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY)) ?? {};
  } catch {
    saved = {};
  }
  const rooms = Array.isArray(saved.rooms)
    ? saved.rooms.filter((r) => typeof r === 'string' && ROOM_RE.test(r))
    : [];
  if (!rooms.includes('general')) rooms.unshift('general');
  const active = rooms.includes(saved.active) ? saved.active : 'general';
  return { rooms: [...new Set(rooms)], active };
}

export function save(rooms, active) {
  try {
    localStorage.setItem(KEY, JSON.stringify({ rooms, active }));
  } catch {
    // Private mode or storage disabled: the session still works, it is just not remembered.
  }
}
