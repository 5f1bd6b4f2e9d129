import type { Snapshot } from '../../runtime/types.js';
import { clock } from '../text/format.js';
import { footerKeys } from '../view/keymap.js';
import type { ViewState } from '../view/state.js';
import { renderLine, stripSgr, type Seg } from '../text/styled.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';

/** How long a key's feedback stays on the status line. */
export const FLASH_MS = 4000;
const MESSAGE_FRESH_MS = 10_000;

/**
 * The status line: the quit progress, the filter being typed, a key's feedback, or the
 * newest runtime message (errors and warnings of the pipeline, console tracer output).
 */
export function statusSegs(view: ViewState, snap: Snapshot): Seg[] {
  if (view.quitting) return [[' stopping: flushing sinks… ', 'badge'], ['  q or Ctrl-C again quits at once, without waiting', 'muted']];
  if (view.draft !== null) {
    return [[' / ', 'hint'], [' ' + view.draft, 'text'], ['▏', 'key'], ['   Enter keep · Esc cancel · Ctrl-U clear · words or key:value', 'muted']];
  }
  if (view.flash && snap.at - view.flash.at < FLASH_MS) return [[' ' + view.flash.text, 'key']];
  // The newest runtime message while fresh, else the console tracer's newest line (it writes
  // here instead of stderr while the screen is up), else the last message however old.
  const m = snap.messages[snap.messages.length - 1];
  const c = snap.consoleLines?.[snap.consoleLines.length - 1];
  if (m && (!c || snap.at - m.at < MESSAGE_FRESH_MS)) {
    const role = m.level === 'error' ? 'state.bad' : m.level === 'warn' ? 'state.warn' : 'muted';
    return [[' ' + clock(m.at) + ' ', 'muted'], [m.level.toUpperCase() + ' ', role], [m.text + ' ', 'text'], ['(m: all messages)', 'muted']];
  }
  if (c) return [[' console: ', 'muted'], [stripSgr(c), 'text']];
  return [[' ? shows every key', 'muted']];
}

/** The mail views' own keys, shown in the footer while the view is open. */
const MAIL_FOOTER: Record<string, string[]> = {
  trail: ['Esc back', 'j/k step', 'Enter event details'],
  trails: ['Esc back', 'j/k move', 'Enter open trail', '/ search'],
  domains: ['Esc close', 'j/k move', 'Enter trails', 'o sort', 'O reverse', '/ filter'],
  security: ['Esc close', 'j/k move', 'Enter trails', 'o sort', 'O reverse'],
};

function overlayKeys(view: ViewState): string[] {
  const kind = view.overlay?.kind;
  const mail = kind ? MAIL_FOOTER[kind] : undefined;
  if (mail) return [...mail, '? help', 'q quit'];
  if (kind === 'metrics') {
    const other = view.metricsView === 'total' ? 'since opened' : 'since start';
    return ['Esc close', 'j/k scroll', 'PgUp/Dn page', 'g/G ends', `v ${other}`, 'o sort', 'O reverse', '? help', 'q quit'];
  }
  return ['Esc close', 'j/k scroll', ...(kind === 'sink' ? ['t toggle'] : []), '? help', 'q quit'];
}

/** Keys that always stay in the footer, whatever the width. */
const ESSENTIAL = new Set(['? help', 'q quit']);

export function footerSegs(view: ViewState, width = Infinity): Seg[] {
  const keys = view.quitting ? ['q quit now (sinks not flushed)'] : view.overlay ? overlayKeys(view) : footerKeys(view.focus);
  // Too narrow for every hint: drop the others from the right, never `?` and `q`.
  const size = () => keys.reduce((n, k) => n + k.length + 2, 0);
  for (let i = keys.length - 1; i >= 0 && size() > width; i--) if (!ESSENTIAL.has(keys[i]!)) keys.splice(i, 1);
  const segs: Seg[] = [];
  for (const k of keys) {
    const sp = k.indexOf(' ');
    segs.push([' '], [k.slice(0, sp), 'hint'], [k.slice(sp) + ' ', 'muted']);
  }
  return segs;
}

export function Footer({ view, snap, width, theme }: { view: ViewState; snap: Snapshot; width: number; theme: Theme }) {
  const lines = [renderLine(statusSegs(view, snap), width, theme), renderLine(footerSegs(view, width), width, theme)];
  return <Block lines={lines} width={width} height={2} />;
}
