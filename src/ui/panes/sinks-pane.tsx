import { useMemo } from 'react';
import type { SinkStatus } from '../../runtime/types.js';
import { bytes, count, rate, sparkline } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit, fitRight } from '../text/plain.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { sinkStateRole, titleLine } from './common.js';

/**
 * One numbered row per sink: N (the digit that toggles it), id, type, on/off, state, ev/s,
 * written, dropped (lossy/failed), queue depth, a 60 s rate sparkline and the last error.
 */
export interface SinksPaneProps {
  sinks: readonly SinkStatus[];
  cursor: number;
  /** Display order (indexes into `sinks`) when sorted with o / O; the numbers stay the config's. */
  order?: readonly number[];
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
}

interface Cols {
  id: number;
  spark: number;
  /** The type column shows from 100 columns (the detail view always has it). */
  type: boolean;
  wide: boolean;
}

function columns(sinks: readonly SinkStatus[], width: number): Cols {
  let id = 4;
  for (const s of sinks) id = Math.max(id, s.id.length);
  const wide = width >= 120;
  return { id: Math.min(id, wide ? 18 : 12), spark: wide ? 20 : width >= 100 ? 12 : 8, type: width >= 100, wide };
}

function headerSegs(c: Cols): Seg[] {
  const type = c.type ? fit('type', 7) + ' ' : '';
  const t = ` # ${fit('sink', c.id)} ${type}on  ${fit('state', 8)} ${fitRight('ev/s', 6)} ${fitRight('written', 7)} ${fitRight('drop l/f', 9)} ${fitRight('queue', 6)} ${fit('last 60 s', c.spark)} ${c.wide ? 'target / last error' : 'last error'}`;
  return [[t, 'muted']];
}

/** The columns every sink row starts with: number, id, type, on/off, state, ev/s, written. */
function leadSegs(s: SinkStatus, n: number, c: Cols): Seg[] {
  return [
    [fitRight(n <= 9 ? String(n) : '', 2) + ' ', 'number'],
    [fit(s.id, c.id) + ' ', 'text'],
    [c.type ? fit(s.type, 7) + ' ' : '', 'muted'],
    [fit(s.enabled ? 'on' : 'off', 3) + ' ', s.enabled ? 'state.ok' : 'state.off'],
    [fit(s.state, 8) + ' ', sinkStateRole(s.state)],
    [fitRight(rate(s.rate1s), 6) + ' ', 'number'],
    [fitRight(count(s.written), 7) + ' ', 'number'],
  ];
}

/**
 * The event-stream server's row (type `stream`): ev/s and written count events sent to clients,
 * the drop column the clients cut for not reading, the queue column clients/max; then clients,
 * frames/s and bytes/s before the last error or the listener URL.
 */
function streamSegs(s: SinkStatus, n: number, c: Cols): Seg[] {
  const d = s.details;
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
  const full = s.queueCapacity > 0 && s.queueDepth >= s.queueCapacity;
  const segs: Seg[] = [
    ...leadSegs(s, n, c),
    [fitRight(`${count(s.droppedIntentional)} cut`, 9) + ' ', s.droppedIntentional > 0 ? 'state.warn' : 'muted'],
    [fitRight(`${s.queueDepth}/${s.queueCapacity}`, 6) + ' ', full ? 'state.warn' : 'number'],
    [sparkline(s.history, c.spark) + ' ', 'spark'],
    [`${num('clients')} cl ${rate(num('framesPerSec'))} fr/s ${bytes(num('bytesPerSec'))}/s `, 'number'],
  ];
  if (s.lastError) segs.push([s.lastError.message, 'state.bad']);
  else if (c.wide) segs.push([s.target, 'muted']);
  return segs;
}

export function sinkSegs(s: SinkStatus, n: number, c: Cols): Seg[] {
  if (s.type === 'stream') return streamSegs(s, n, c);
  const full = s.queueCapacity > 0 && s.queueDepth >= s.queueCapacity * 0.8;
  const dropped = `${count(s.droppedIntentional)}/${count(s.droppedError)}`;
  const segs: Seg[] = [
    ...leadSegs(s, n, c),
    [fitRight(dropped, 9) + ' ', s.droppedError > 0 ? 'state.bad' : s.droppedIntentional > 0 ? 'state.warn' : 'muted'],
    [fitRight(count(s.queueDepth), 6) + ' ', full ? 'state.warn' : 'number'],
    [sparkline(s.history, c.spark) + ' ', 'spark'],
  ];
  if (s.lastError) segs.push([s.lastError.message, 'state.bad']);
  else if (c.wide) segs.push([s.target, 'muted']);
  return segs;
}

export function sinksLines(p: SinksPaneProps): string[] {
  const { sinks, width, height, theme } = p;
  const lines = [titleLine('Sinks', p.focused, [], width, theme)];
  if (sinks.length === 0) {
    lines.push(renderLine([['  no tracer configured: add a [tracer.<id>] section (type = "log", "console", "journal" or "open-telemetry")', 'muted']], width, theme));
    return lines;
  }
  const c = columns(sinks, width);
  let rows = height - 1;
  if (rows >= 2) {
    lines.push(renderLine(headerSegs(c), width, theme));
    rows--;
  }
  const cursor = Math.min(p.cursor, sinks.length - 1);
  const first = Math.max(0, Math.min(cursor - rows + 1, sinks.length - rows));
  for (let i = Math.max(0, first); i < sinks.length && i < first + rows; i++) {
    const k = p.order?.[i] ?? i;
    lines.push(renderLine(sinkSegs(sinks[k]!, k + 1, c), width, theme, p.focused && i === cursor ? 'selected' : undefined));
  }
  return lines;
}

export function SinksPane(p: SinksPaneProps) {
  const { sinks, cursor, focused, width, height, theme, order } = p;
  const lines = useMemo(() => sinksLines({ sinks, cursor, focused, width, height, theme, order }), [sinks, cursor, focused, width, height, theme, order]);
  return <Block lines={lines} width={width} height={height} />;
}
