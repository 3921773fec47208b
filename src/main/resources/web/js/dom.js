// Tiny DOM helpers. Text only ever goes in through textContent: never innerHTML.

/**
 * Creates an element. props: `class`, `text` (textContent), `on<event>` (listener),
 * anything else becomes an attribute (true → present, false/null/undefined → absent).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false || value == null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child != null && child !== false) el.append(child);
  }
  return el;
}

/**
 * Makes parent's children match items, in order, reusing elements by key so that
 * focus and scroll position survive. create(item) builds the element of a new key.
 */
export function reconcile(parent, items, keyOf, create) {
  const keys = items.map(keyOf);
  const wanted = new Set(keys);
  const existing = new Map();
  for (const el of [...parent.children]) {
    if (wanted.has(el.dataset.key)) existing.set(el.dataset.key, el);
    else el.remove();
  }
  let prev = null;
  items.forEach((item, i) => {
    let el = existing.get(keys[i]);
    if (!el) {
      el = create(item);
      el.dataset.key = keys[i];
    }
    const spot = prev ? prev.nextSibling : parent.firstChild;
    if (el !== spot) parent.insertBefore(el, spot);
    prev = el;
  });
}
