// What the user types in the composer: a message, or a slash command.

export const ROOM_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const NAME_RE = /^[A-Za-z0-9_.-]{1,32}$/;
export const MAX_TEXT = 4000;

export const HELP = [
  'Commands:',
  '/nick NAME: change your name (letters, digits, _ . and -, up to 32)',
  '/join ROOM: join a room and switch to it',
  '/leave [ROOM]: leave a room (the current one by default)',
  '/who: list the members of the current room',
  '/help: show this list',
  'Start a message with // to send a text that begins with /.',
].join('\n');

/** Length in Unicode code points, as the server counts it. */
export const codePoints = (text) => [...text].length;

/** A text the server would refuse as blank. */
export const isBlank = (text) => text.trim() === '';

export function roomError(room) {
  return ROOM_RE.test(room)
    ? null
    : 'Room names are 1 to 32 of a–z, 0–9, _ and -, starting with a letter or digit.';
}

/**
 * Parses composer input into one of:
 *   {kind: 'text', text} | {kind: 'nick'|'join', arg} | {kind: 'leave', arg?}
 *   | {kind: 'who'} | {kind: 'help'} | {kind: 'error', message}
 */
export function parse(input) {
  if (!input.startsWith('/')) return { kind: 'text', text: input };
  if (input.startsWith('//')) return { kind: 'text', text: input.slice(1) };
  const [word, ...args] = input.trim().split(/\s+/);
  const name = word.slice(1).toLowerCase();
  const usage = (message) => ({ kind: 'error', message });
  switch (name) {
    case 'nick':
      if (args.length !== 1) return usage('Usage: /nick NAME');
      if (!NAME_RE.test(args[0])) return usage('Names are 1 to 32 of A–Z, a–z, 0–9, _ . and -.');
      return { kind: 'nick', arg: args[0] };
    case 'join': {
      if (args.length !== 1) return usage('Usage: /join ROOM');
      const room = args[0].toLowerCase();
      const error = roomError(room);
      return error ? usage(error) : { kind: 'join', arg: room };
    }
    case 'leave': {
      if (args.length > 1) return usage('Usage: /leave [ROOM]');
      if (args.length === 0) return { kind: 'leave' };
      const room = args[0].toLowerCase();
      const error = roomError(room);
      return error ? usage(error) : { kind: 'leave', arg: room };
    }
    case 'who':
    case 'help':
      return args.length ? usage(`Usage: /${name}`) : { kind: name };
    default:
      return usage(`Unknown command ${word}. Type /help for the list.`);
  }
}
