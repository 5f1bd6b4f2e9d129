import { bytes, exact } from '../text/format.js';
import { KEY_HELP } from '../view/keymap.js';
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
  const row = (k: string, what: string, scope?: string) =>
    renderLine([['  ' + k.padEnd(20), 'key'], [what + ' ', 'text'], [scope ? `(${scope} pane)` : '', 'muted']], width, theme);
  const out = [
    title('Screen'),
    row('terminal output', `${bytes(f.bytesPerSecond)}/s written to the terminal (lower --fps lowers it)`),
    row('frame rate', `${f.fps} frames/s at most (--fps); only changed lines are rewritten`),
    row('theme', `${f.theme} (--theme dark|light|high-contrast|mono, NO_COLOR gives mono)`),
    row('history', `${exact(f.historySize)} events kept for scrollback (--history)`),
    row('numbers', 'all read from the runtime status store at each frame'),
    '',
    title('Keys'),
  ];
  for (const k of KEY_HELP) out.push(row(k.keys, k.what, k.pane));
  out.push(
    '',
    title('Events filter ( / )'),
    renderLine([['  Plain words match the event name, its description or any value; key:value matches one', 'text']], width, theme),
    renderLine([['  key, written kebab-case or camelCase (remote-ip:192.0.2 or remoteIp:192.0.2). Every term', 'text']], width, theme),
    renderLine([['  must match (case-insensitive substring); "a quoted phrase" is one word.', 'text']], width, theme),
  );
  return out;
}
