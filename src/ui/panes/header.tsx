import { useMemo } from 'react';
import type { Snapshot, SourceStatus } from '../../runtime/types.js';
import { count, countdown, duration, exact, rate, uptime } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit } from '../text/plain.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { sourceStateRole } from './common.js';

/**
 * The header: the collector's totals on the first line, then one line per source with its
 * connection state, events, events/s, errors, uptime and paused flag.
 */
export interface HeaderProps {
  snap: Snapshot;
  /** Source lines available (the layout decides); extra sources are summarised. */
  sourceLines: number;
  historySize: number;
  width: number;
  theme: Theme;
  /** Marks after the brand: host, banner, READ-ONLY, the security alarm (App builds them). */
  marks?: readonly Seg[];
}

export function summarySegs(snap: Snapshot, historySize: number): Seg[] {
  const c = snap.collector;
  const segs: Seg[] = [[' mailtel ', 'brand']];
  if (snap.paused) segs.push([' PAUSED ', 'badge'], [' ']);
  if (snap.recording) segs.push([' REC ', 'badge'], [' ' + snap.recording + ' ', 'key']);
  if (c.backpressured) segs.push([' BACKPRESSURE ', 'badge'], [' ']);
  segs.push(
    ['events ', 'muted'],
    [exact(c.events), 'number'],
    ['  ', 'muted'],
    [rate(c.rate1s) + '/s', 'number'],
    [` (10 s ${rate(c.rate10s)}/s)`, 'muted'],
    ['  up ', 'muted'],
    [uptime(snap.at - snap.startedAt), 'number'],
    ['  malformed ', 'muted'],
    [count(c.malformed), c.malformed > 0 ? 'state.bad' : 'number'],
    ...failingSources(snap),
    ['  unknown ', 'muted'],
    [count(c.unknownTypes), c.unknownTypes > 0 ? 'state.warn' : 'number'],
    ['  history ', 'muted'],
    [exact(historySize), 'number'],
  );
  return segs;
}

/** Sources that cannot run (file missing, type not built...): a source error, not malformed input. */
function failingSources(snap: Snapshot): Seg[] {
  const n = snap.sources.filter((s) => s.state === 'failing').length;
  return n > 0 ? [['  source errors ', 'muted'], [count(n), 'state.bad']] : [];
}

export function sourceSegs(s: SourceStatus, now: number, idWidth: number): Seg[] {
  const role = sourceStateRole(s.state);
  // A live source says more than its state: streaming, auth failed, not enterprise, tls error…
  const phase = typeof s.details.phase === 'string' ? s.details.phase : s.state;
  const segs: Seg[] = [
    [' ● ', role],
    [fit(s.id, idWidth) + ' ', 'text'],
    [fit(s.type, 8) + ' ', 'muted'],
    [fit(phase, Math.max(10, phase.length)) + ' ', role],
  ];
  const live = liveSegs(s, now);
  if (live) return [...segs, ...live];
  if (s.paused) segs.push([' paused ', 'badge'], [' ']);
  segs.push(
    ['events ', 'muted'],
    [count(s.events), 'number'],
    ['  ', 'muted'],
    [rate(s.rate1s) + '/s', 'number'],
    ['  errors ', 'muted'],
    [count(s.errors), s.errors > 0 ? 'state.bad' : 'number'],
    ['  up ', 'muted'],
    [uptime(now - s.startedAt) + ' ', 'number'],
  );
  if (s.lastError) segs.push([' ' + s.lastError.message, 'state.bad']);
  else segs.push([' ' + s.target, 'muted']);
  return segs;
}

/**
 * A Stalwart live source or a webhook intake: streaming shows events/s and the last frame's
 * age; a failure shows its reason and when it tries again.
 */
function liveSegs(s: SourceStatus, now: number): Seg[] | undefined {
  const d = s.details;
  if (s.type === 'webhook' && typeof d.requests === 'number' && s.state !== 'failing') {
    const refused = `401×${String(d.unauthorized)} 400×${String(d.malformed)} 413×${String(d.tooLarge)}`;
    return [
      ['events ', 'muted'], [count(s.events), 'number'], ['  ', 'muted'], [rate(s.rate1s) + '/s', 'number'],
      ['  batches ', 'muted'], [count(Number(d.accepted)), 'number'], ['  refused ', 'muted'],
      [refused, Number(d.unauthorized) + Number(d.malformed) + Number(d.tooLarge) > 0 ? 'state.warn' : 'muted'],
      ['  ' + s.target, 'muted'],
    ];
  }
  if (typeof d.phase !== 'string' || s.type !== 'stalwart') return undefined;
  const segs: Seg[] = [['events ', 'muted'], [count(s.events), 'number'], ['  ', 'muted'], [rate(s.rate1s) + '/s', 'number']];
  if (s.errors > 0) segs.push(['  errors ', 'muted'], [count(s.errors), 'state.bad']);
  if (d.phase === 'streaming') {
    if (typeof d.lastFrameAt === 'number') segs.push(['  last frame ', 'muted'], [duration(Math.max(0, now - d.lastFrameAt)) + ' ago', 'number']);
    segs.push([`  ${String(d.api)} `, 'muted']);
    if (typeof d.metrics === 'string' && d.metrics !== 'streaming') segs.push([' metrics ' + d.metrics, 'state.warn']);
    // Stalwart v0.16's quirks (details: repeats, filtersIgnored): short here; the whole text is in
    // --status-json and in the source's one-time warning (m).
    const restarts = Number(d.restarts) || 0;
    if (typeof d.repeats === 'string') segs.push([` server repeats events: skipped, ${count(restarts)} restart${restarts === 1 ? '' : 's'} `, 'state.warn']);
    if (typeof d.filtersIgnored === 'string') segs.push([' filters ignored by v0.16 ', 'state.warn']);
    return segs;
  }
  if (typeof d.nextRetryAt === 'number') segs.push(['  retry ', 'muted'], [countdown(d.nextRetryAt, now) ?? 'now', 'number']);
  if (typeof d.reason === 'string') segs.push(['  ' + d.reason, s.state === 'failing' ? 'state.bad' : 'muted']);
  return segs;
}

export function headerLines(p: HeaderProps): string[] {
  const { snap, width, theme } = p;
  const segs = summarySegs(snap, p.historySize);
  if (p.marks?.length) segs.splice(1, 0, ...p.marks);
  const lines = [renderLine(segs, width, theme)];
  const n = p.sourceLines;
  if (n <= 0) return lines;
  let idWidth = 4;
  for (const s of snap.sources) idWidth = Math.max(idWidth, s.id.length);
  idWidth = Math.min(idWidth, 16);
  const all = snap.sources;
  const shown = all.length > n ? all.slice(0, n - 1) : all;
  for (const s of shown) lines.push(renderLine(sourceSegs(s, snap.at, idWidth), width, theme));
  if (all.length > n) {
    const rest = all.slice(n - 1);
    lines.push(renderLine([[` + ${rest.length} more sources: ${rest.map((s) => `${s.id} ${typeof s.details.phase === 'string' ? s.details.phase : s.state}`).join(', ')}`, 'muted']], width, theme));
  }
  if (all.length === 0) lines.push(renderLine([[' no source configured', 'muted']], width, theme));
  return lines;
}

export function Header(p: HeaderProps) {
  const { snap, sourceLines, historySize, width, theme, marks } = p;
  const lines = useMemo(() => headerLines({ snap, sourceLines, historySize, width, theme, marks }), [snap, sourceLines, historySize, width, theme, marks]);
  return <Block lines={lines} width={width} height={1 + sourceLines} />;
}
