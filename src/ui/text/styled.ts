import { clean, fit, textWidth, truncate } from './plain.js';
import type { Role, Theme } from '../theme.js';

/** One run of text in one theme role. */
export type Seg = readonly [text: string, role?: Role];

const RESET = '\x1b[0m';

/**
 * One screen line from styled runs, never wider than `width` columns: the run that overflows
 * is cut with `…`. With `fill`, the line is padded to the full width in that role (selection,
 * focused titles) and the runs' own roles are dropped so the highlight reads as one bar.
 */
export function renderLine(segs: readonly Seg[], width: number, theme: Theme, fill?: Role): string {
  if (fill) {
    let plain = '';
    for (const [t] of segs) plain += clean(t);
    const open = theme.sgr[fill];
    const text = fit(plain, width);
    return open ? open + text + RESET : text;
  }
  let out = '';
  let left = width;
  for (let i = 0; i < segs.length && left > 0; i++) {
    const [raw, role] = segs[i]!;
    if (!raw) continue;
    let t = clean(raw);
    let w = textWidth(t);
    if (w > left) {
      t = truncate(t, left);
      w = left;
    }
    left -= w;
    const open = role ? theme.sgr[role] : '';
    out += open ? open + t + RESET : t;
  }
  return out;
}

/** Plain text of runs (tests and width checks). */
export function plainText(segs: readonly Seg[]): string {
  let s = '';
  for (const [t] of segs) s += clean(t);
  return s;
}

const SGR = /\x1b\[[0-9;]*m/g;

/** A rendered line without its escapes. */
export function stripSgr(line: string): string {
  return line.replace(SGR, '');
}
