// The active room's message list: messages by id, local notes, gaps, pending sends.
import { h, reconcile } from './dom.js';
import { sameName } from './state.js';

const NEAR_BOTTOM_PX = 48;
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

function timeEl(ts) {
  if (!Number.isFinite(ts)) return null;
  const date = new Date(ts);
  const today = date.toDateString() === new Date().toDateString();
  return h('time', {
    datetime: date.toISOString(),
    title: fullFmt.format(date),
    text: (today ? timeFmt : dayTimeFmt).format(date),
  });
}

/** What the list shows, in order: messages with notes and gaps between them, then pending. */
function items(store, room) {
  const out = [];
  const notes = room.notes;
  const floor = store.floor(room);
  let n = 0;
  let prev = 0;
  for (const id of room.order) {
    while (n < notes.length && notes[n].afterId < id) out.push({ kind: 'note', note: notes[n++] });
    if (prev && id > prev + 1) out.push({ kind: 'gap', id, missing: id - prev - 1, fillable: id === floor });
    out.push({ kind: 'msg', msg: room.messages.get(id) });
    prev = id;
  }
  while (n < notes.length) out.push({ kind: 'note', note: notes[n++] });
  for (const p of room.pending.values()) out.push({ kind: 'pending', p });
  return out;
}

const keyOf = (item) => {
  switch (item.kind) {
    case 'msg': return `m${item.msg.id}${item.msg.local ? 'l' : ''}`;
    case 'note': return `n${item.note.seq}`;
    case 'gap': return `g${item.id}-${item.missing}-${item.fillable}`;
    default: return `p${item.p.cid}-${item.p.status}`;
  }
};

export class MessageList {
  /** actions: {loadOlder(), retry(cid), discard(cid)} */
  constructor(els, actions) {
    Object.assign(this, els, { actions });
    this.shown = undefined;
    this.stuck = true; // the user is at the bottom: keep them there
    this.loadOlder.addEventListener('click', () => actions.loadOlder());
    this.jump.addEventListener('click', () => this.toBottom());
    this.scroller.addEventListener('scroll', () => {
      this.stuck = this.atBottom();
      if (this.stuck) this.jump.hidden = true;
    });
    // The box shrinks when the composer grows or a phone keyboard opens.
    new ResizeObserver(() => this.stuck && this.toBottom()).observe(this.scroller);
  }

  atBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  toBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.stuck = true;
    this.jump.hidden = true;
  }

  /** The first element at least partly visible, and where it is, to keep it in place. */
  anchor() {
    const top = this.scroller.getBoundingClientRect().top;
    for (const el of this.list.children) {
      const rect = el.getBoundingClientRect();
      if (rect.bottom > top) return { el, top: rect.top };
    }
    return null;
  }

  render(store, { forceBottom = false } = {}) {
    const room = store.activeRoom;
    const switched = room?.name !== this.shown;
    const stick = switched || forceBottom || this.stuck;
    const anchor = stick ? null : this.anchor();
    const lastKey = this.list.lastElementChild?.dataset.key;
    if (switched) {
      this.list.replaceChildren();
      this.shown = room?.name;
    }
    this.empty.hidden = Boolean(room);
    const all = room ? items(store, room) : [];
    reconcile(this.list, all, keyOf, (item) => this.create(store, item));

    const floor = room ? store.floor(room) : 0;
    const noGap = room && floor === room.order[0];
    this.loadOlder.hidden = !(noGap && floor > 1 && room.more !== false);
    // Kept enabled (a disabled button drops keyboard focus); the client ignores extra clicks.
    this.loadOlder.textContent = room?.loading ? 'Loading…' : 'Load older messages';
    this.loadOlder.setAttribute('aria-disabled', String(Boolean(room?.loading) || !room?.joined));

    if (stick) this.toBottom();
    else {
      if (anchor?.el.isConnected) {
        this.scroller.scrollTop += anchor.el.getBoundingClientRect().top - anchor.top;
      }
      if (this.list.lastElementChild?.dataset.key !== lastKey) this.jump.hidden = false;
    }
  }

  create(store, item) {
    switch (item.kind) {
      case 'note':
        return h('li', { class: item.note.error ? 'note error' : 'note', text: item.note.text });
      case 'gap':
        return h('li', { class: 'gap' },
          h('span', { text: `${item.missing} message${item.missing === 1 ? '' : 's'} not loaded` }),
          item.fillable && h('button', {
            type: 'button', class: 'link-button', text: 'Load them', onclick: () => this.actions.loadOlder(),
          }));
      case 'msg':
        return this.message(item.msg, sameName(item.msg.from, store.me));
      default:
        return this.pending(item.p, store.me);
    }
  }

  message(m, own, extra = {}) {
    return h('li', { class: `msg${own ? ' own' : ''}${extra.cls ?? ''}` },
      h('div', { class: 'meta' },
        h('span', { class: 'from', text: String(m.from ?? '') }),
        timeEl(m.ts),
        extra.marker),
      h('div', { class: 'text', text: String(m.text ?? '') }),
      extra.actions);
  }

  pending(p, me) {
    if (p.status === 'sending') {
      return this.message({ from: me, text: p.text }, true, {
        cls: ' pending', marker: h('span', { class: 'marker', text: 'sending…' }),
      });
    }
    const actions = h('div', { class: 'actions' },
      p.retryable && h('button', { type: 'button', text: 'Retry', onclick: () => this.actions.retry(p.cid) }),
      h('button', { type: 'button', text: 'Discard', onclick: () => this.actions.discard(p.cid) }));
    return this.message({ from: me, text: p.text }, true, {
      cls: ' failed',
      marker: h('span', { class: 'marker', text: `not sent: ${p.error}` }),
      actions,
    });
  }
}
