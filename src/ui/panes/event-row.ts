import type { TelemetryEvent } from '../../runtime/event.js';
import { summaryFields, valueText } from '../text/event-fields.js';
import { clock } from '../text/format.js';
import type { Seg } from '../text/styled.js';
import { fit } from '../text/plain.js';
import { levelRole } from './common.js';
import { filterWords, highlightSegs } from '../text/highlight.js';

/** Column widths of the one-line event view; the description shows from 100 columns. */
export interface Columns {
  width: number;
  name: number;
  desc: number;
  /** The source id column (0: none, one source only). */
  source: number;
}

export function eventColumns(width: number, source = 0): Columns {
  const name = Math.max(16, Math.min(32, Math.round(width * 0.26)));
  const desc = width < 100 ? 0 : Math.max(16, Math.min(36, Math.round(width * 0.22)));
  return { width, name, desc, source: width < 60 ? 0 : source };
}

/** One event as styled runs: time, level, name, description, the most useful keys. */
/**
 * One event as styled runs: time, level, name, description, the most useful keys. Few runs on
 * purpose: Ink's output cost grows with every change of style along a line, and a row of
 * `key=value` pairs reads fine in one colour.
 */
export function eventSegs(ev: TelemetryEvent, c: Columns, filter = ''): Seg[] {
  let keys = '';
  const room = c.width - (16 + c.name + (c.desc ? c.desc + 1 : 0) + (c.source ? c.source + 1 : 0));
  for (const [k, v] of summaryFields(ev)) {
    if (keys.length >= room) break;
    keys += `${k}=${valueText(k, v)} `;
  }
  const segs: Seg[] = [[clock(ev.createdAt) + ' ', 'muted']];
  if (c.source > 0) segs.push([fit(ev.source ?? '', c.source) + ' ', 'key']);
  segs.push([ev.level.toUpperCase().padEnd(5), levelRole(ev.level)]);
  // The `/` filter's words stand out where they match (name, description, keys).
  const hl = filterWords(filter).length > 0;
  if (hl) segs.push([' '], ...highlightSegs(fit(ev.type, c.name), filter, 'text'), [' ']);
  else segs.push([' ' + fit(ev.type, c.name) + ' ', 'text']);
  if (c.desc > 0) segs.push(...(hl ? highlightSegs(fit(ev.text, c.desc) + ' ', filter, 'muted') : [[fit(ev.text, c.desc) + ' ', 'muted'] as Seg]));
  segs.push(...(hl ? highlightSegs(keys, filter, 'text') : [[keys, 'text'] as Seg]));
  return segs;
}
