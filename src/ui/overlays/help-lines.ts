import { bytes, exact } from '../text/format.js';
import { KEY_HELP } from '../view/keymap.js';
import { textWidth, wrap } from '../text/plain.js';
import { renderLine } from '../text/styled.js';
import type { Theme } from '../theme.js';

/** What the help overlay shows about the screen itself. */
export interface ScreenFacts {
  /** Bytes written to the terminal per second (measured, last few seconds). */
  bytesPerSecond: number;
  fps: number;
  theme: string;
  historySize: number;
}

export function helpLines(f: ScreenFacts, width: number, theme: Theme): string[] {
  const title = (t: string) => renderLine([[t, 'title']], width, theme);
  const KEY_COL = 22;
  // A description wider than the screen wraps under itself instead of being cut (80 columns).
  const row = (k: string, what: string, scope?: string): string[] => {
    const tail = scope ? `(${scope} pane)` : '';
    const room = Math.max(10, width - KEY_COL);
    const parts = wrap(what, room);
    const last = parts.length - 1;
    const fits = tail && textWidth(parts[last] ?? '') + 1 + textWidth(tail) <= room;
    const lines = parts.map((p, i) =>
      renderLine([[i === 0 ? '  ' + k.padEnd(KEY_COL - 2) : ' '.repeat(KEY_COL), 'key'], [p + ' ', 'text'], [i === last && fits ? tail : '', 'muted']], width, theme),
    );
    if (tail && !fits) lines.push(renderLine([[' '.repeat(KEY_COL), 'key'], [tail, 'muted']], width, theme));
    return lines;
  };
  const para = (text: string) => wrap(text, Math.max(10, width - 2)).map((l) => renderLine([['  ' + l, 'text']], width, theme));
  const out = [
    title('Screen'),
    ...row('terminal output', `${bytes(f.bytesPerSecond)}/s written to the terminal (lower --fps lowers it)`),
    ...row('frame rate', `${f.fps} frames/s at most (--fps); only changed lines are rewritten`),
    ...row('theme', `${f.theme} (--theme dark|light|high-contrast|mono, NO_COLOR gives mono)`),
    ...row('history', `${exact(f.historySize)} events kept for scrollback (--history)`),
    ...row('numbers', 'all read from the runtime status store at each frame'),
    '',
    title('Keys'),
  ];
  for (const k of KEY_HELP) out.push(...row(k.keys, k.what, k.pane));
  out.push(
    '',
    title('Events filter ( / )'),
    ...para(
      'Plain words match the event name, its description or any value; key:value matches one key, written kebab-case or camelCase (remote-ip:192.0.2 or remoteIp:192.0.2). Every term must match (case-insensitive substring); "a quoted phrase" is one word.',
    ),
  );
  return out;
}
