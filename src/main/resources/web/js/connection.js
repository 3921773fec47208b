// The WebSocket to /ws: JSON frames in and out, visible state, reconnect with backoff.
// It knows nothing of rooms; the client (client.js) rejoins and resends on `onOpen`.

const BASE_MS = 500;
const CAP_MS = 10_000;
const STABLE_MS = 5_000; // a connection that lived this long resets the backoff

export function socketUrl(loc = location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws`;
}

export class Connection {
  /**
   * onStatus(state, seconds): state is 'connecting' | 'online' | 'reconnecting' | 'offline';
   * seconds counts down to the next attempt while 'reconnecting'.
   * onOpen(): the socket is open. onFrame(obj): a parsed frame. onClose(): it closed.
   */
  constructor({ url = socketUrl(), onStatus, onOpen, onFrame, onClose }) {
    Object.assign(this, { url, onStatus, onOpen, onFrame, onClose });
    this.ws = null;
    this.attempt = 0;
    this.openedAt = 0;
    this.timer = 0;
    this.ticker = 0;
  }

  start() {
    addEventListener('online', () => this.reconnectNow());
    addEventListener('offline', () => this.ws?.close(4000, 'offline'));
    this.open();
  }

  get isOpen() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends one frame; false when the socket is not open (the caller keeps it for later). */
  send(frame) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the wait before the next attempt. */
  reconnectNow() {
    if (this.ws) return;
    this.attempt = 0;
    this.open();
  }

  open() {
    this.stopTimers();
    if (navigator.onLine === false) {
      this.onStatus('offline');
      return;
    }
    this.onStatus('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.openedAt = Date.now();
      this.onStatus('online');
      this.onOpen();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame === 'object' && typeof frame.type === 'string') this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onClose();
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    if (this.openedAt && Date.now() - this.openedAt >= STABLE_MS) this.attempt = 0;
    this.openedAt = 0;
    if (navigator.onLine === false) {
      this.onStatus('offline'); // the 'online' event reconnects
      return;
    }
    // Exponential backoff with jitter: half fixed, half random, capped.
    const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt++;
    const due = Date.now() + delay;
    const tick = () => this.onStatus('reconnecting', Math.max(1, Math.ceil((due - Date.now()) / 1000)));
    tick();
    this.ticker = setInterval(tick, 1000);
    this.timer = setTimeout(() => this.open(), delay);
  }

  stopTimers() {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
  }
}
