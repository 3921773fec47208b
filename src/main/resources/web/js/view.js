// The page: reads the Store, renders it, and turns user input into actions.
import { codePoints, isBlank, MAX_TEXT, roomError } from './commands.js';
import { MessageList } from './render-messages.js';
import { renderMembers, renderRooms } from './render-sidebar.js';

const $ = (id) => document.getElementById(id);
const STATUS_WORDS = {
  connecting: () => 'Connecting…',
  online: () => 'Online',
  reconnecting: (s) => `Reconnecting in ${s} s`,
  offline: () => 'Offline',
};
const TOAST_MS = 6000;

function typingLine(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export class View {
  /**
   * actions: selectRoom(name), joinRoom(name), leaveRoom(name), submit(text), typing(),
   * loadOlder(), retry(cid), discard(cid), reconnectNow()
   */
  constructor(store, actions) {
    this.store = store;
    this.actions = actions;
    this.forceBottom = false;
    this.messages = new MessageList({
      scroller: $('scroller'), list: $('messages'), loadOlder: $('load-older'),
      jump: $('jump'), empty: $('empty'),
    }, {
      loadOlder: () => actions.loadOlder(),
      retry: (cid) => { actions.retry(cid); this.input.focus(); },
      discard: (cid) => { actions.discard(cid); this.input.focus(); },
    });
    this.input = $('composer-input');
    this.bindComposer();
    this.bindJoinForm();
    this.bindNav();
    $('reconnect-now').addEventListener('click', () => actions.reconnectNow());
    store.subscribe(() => this.render());
  }

  render() {
    const { store } = this;
    const room = store.activeRoom;
    const conn = document.querySelector('.conn');
    conn.dataset.state = store.status.state;
    $('conn-text').textContent = STATUS_WORDS[store.status.state](store.status.seconds);
    $('reconnect-now').hidden = !['reconnecting', 'offline'].includes(store.status.state);
    $('me-name').textContent = store.me || '…';

    renderRooms($('room-list'), store, {
      selectRoom: (name) => { this.actions.selectRoom(name); this.closeNav(); this.input.focus(); },
      leaveRoom: (name) => { this.actions.leaveRoom(name); $('join-input').focus(); },
    });
    renderMembers($('member-list'), $('member-count'), store);

    $('room-title').textContent = room ? `#${room.name}` : 'No room';
    $('composer-label').textContent = room ? `Message #${room.name}` : 'Message';
    this.input.placeholder = room ? `Message #${room.name} (or /help)` : 'Join a room first (or /help)';
    this.messages.render(store, { forceBottom: this.forceBottom });
    this.forceBottom = false;
    $('typing').textContent = room ? typingLine(store.typists(room)) : '';
    this.updateComposer();

    const unread = store.totalUnread();
    document.title = `${unread ? `(${unread}) ` : ''}${room ? `#${room.name} · ` : ''}Parley`;
  }

  updateComposer() {
    const text = this.input.value;
    const length = codePoints(text);
    $('char-count').textContent = String(length);
    $('composer-hint').classList.toggle('over', length > MAX_TEXT);
    const command = text.startsWith('/') && !text.startsWith('//');
    $('send').disabled = isBlank(text) || length > MAX_TEXT || (!command && !this.store.activeRoom);
  }

  bindComposer() {
    const form = $('composer');
    this.input.addEventListener('input', () => {
      this.updateComposer();
      const text = this.input.value;
      if (!isBlank(text) && !text.startsWith('/')) this.actions.typing();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if ($('send').disabled) return;
      this.forceBottom = true;
      if (this.actions.submit(this.input.value) !== false) {
        this.input.value = '';
        this.updateComposer();
      }
    });
  }

  bindJoinForm() {
    const input = $('join-input');
    const error = $('join-error');
    const showError = (text) => {
      error.textContent = text ?? '';
      error.hidden = !text;
      input.setAttribute('aria-invalid', String(Boolean(text)));
    };
    input.addEventListener('input', () => {
      const lower = input.value.toLowerCase();
      if (lower !== input.value) {
        const { selectionStart, selectionEnd } = input;
        input.value = lower;
        input.setSelectionRange(selectionStart, selectionEnd);
      }
      if (!error.hidden) showError(input.value ? roomError(input.value) : null);
    });
    $('join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = input.value.trim().toLowerCase();
      const problem = roomError(name);
      showError(problem);
      if (problem) return input.focus();
      input.value = '';
      this.actions.joinRoom(name);
      this.closeNav();
      this.input.focus();
    });
  }

  bindNav() {
    const toggle = $('nav-toggle');
    toggle.addEventListener('click', () => (document.body.classList.contains('nav-open')
      ? this.closeNav(true) : this.openNav()));
    $('backdrop').addEventListener('click', () => this.closeNav(true));
    $('nav-close').addEventListener('click', () => this.closeNav(true));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && document.body.classList.contains('nav-open')) this.closeNav(true);
    });
  }

  openNav() {
    document.body.classList.add('nav-open');
    $('nav-toggle').setAttribute('aria-expanded', 'true');
    $('backdrop').hidden = false;
    ($('room-list').querySelector('button') ?? $('join-input')).focus();
  }

  closeNav(refocus = false) {
    if (!document.body.classList.contains('nav-open')) return;
    document.body.classList.remove('nav-open');
    $('nav-toggle').setAttribute('aria-expanded', 'false');
    $('backdrop').hidden = true;
    if (refocus) $('nav-toggle').focus();
  }

  /** A short-lived message for everyone (screen readers too: the container is role=status). */
  toast(text) {
    const box = $('toasts');
    const el = document.createElement('div');
    el.className = 'toast';
    el.textContent = text;
    box.append(el);
    while (box.children.length > 3) box.firstElementChild.remove();
    setTimeout(() => el.remove(), TOAST_MS);
  }

  /** Read out a new message to screen readers without making the whole list live. */
  announce(text) {
    const region = $('announcer');
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }
}
