// The sidebar: joined rooms with unread counts and leave buttons, and the active room's members.
import { h, reconcile } from './dom.js';
import { sameName } from './state.js';

function roomItem(room, actions) {
  return h('li', { class: 'room' },
    h('button', { type: 'button', class: 'room-button', onclick: () => actions.selectRoom(room.name) },
      h('span', { class: 'room-name', text: `#${room.name}` }),
      h('span', { class: 'badge', hidden: true })),
    h('button', {
      type: 'button', class: 'icon-button leave', 'aria-label': `Leave #${room.name}`,
      title: `Leave #${room.name}`, text: '×', onclick: () => actions.leaveRoom(room.name),
    }));
}

function updateRoom(el, room, active) {
  const button = el.querySelector('.room-button');
  if (room.name === active) button.setAttribute('aria-current', 'true');
  else button.removeAttribute('aria-current');
  const badge = el.querySelector('.badge');
  badge.hidden = room.unread === 0;
  badge.replaceChildren(String(room.unread), h('span', { class: 'sr-only', text: ' unread' }));
}

export function renderRooms(list, store, actions) {
  const rooms = [...store.rooms.values()];
  reconcile(list, rooms, (r) => r.name, (room) => roomItem(room, actions));
  rooms.forEach((room, i) => updateRoom(list.children[i], room, store.active));
}

export function renderMembers(list, count, store) {
  const room = store.activeRoom;
  const names = room ? room.members : [];
  count.textContent = room ? `(${names.length})` : '';
  reconcile(list, names, (n) => `${n}${sameName(n, store.me) ? ' me' : ''}`, (name) => {
    const you = sameName(name, store.me);
    return h('li', { class: you ? 'member you' : 'member' },
      h('span', { text: name }), you && h('span', { class: 'muted', text: ' (you)' }));
  });
}
