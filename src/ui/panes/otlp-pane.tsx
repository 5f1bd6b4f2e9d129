import { useMemo } from 'react';
import type { OtlpStatus } from '../../runtime/types.js';
import { clock, countdown, duration, exact } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit, fitRight, wrap } from '../text/plain.js';
import { formatDuration } from '../../config/duration.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { sinkStateRole, titleLine } from './common.js';

/**
 * The OTLP metrics exporter: where it pushes, how often, the countdown to the next push and a
 * timeline of recent pushes, newest first. Without an exporter: the snippet that enables one.
 */
export const OTLP_SNIPPET = ['[metrics.open-telemetry]', 'transport = "grpc"', 'endpoint = "http://127.0.0.1:4317"', 'interval = "1m"'];

export interface OtlpPaneProps {
  otlp: OtlpStatus;
  /** Snapshot time, for the countdown. */
  now: number;
  scroll: number;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
}

/** Content lines the pane would like, for the layout. */
export function otlpWant(o: OtlpStatus): number {
  const last = o.pushes[o.pushes.length - 1];
  return o.configured ? 2 + (last && !last.ok ? 2 : 0) + Math.max(1, o.pushes.length) : 1 + OTLP_SNIPPET.length;
}

export function emptyLines(what: string, snippet: readonly string[], width: number, height: number, theme: Theme): string[] {
  if (height < snippet.length + 2) {
    return [renderLine([[`  ${what} · `, 'muted'], [snippet.join(' '), 'snippet']], width, theme)];
  }
  const lines = [renderLine([[`  ${what}: add to the config file`, 'muted']], width, theme)];
  for (const s of snippet) lines.push(renderLine([['    ' + s, 'snippet']], width, theme));
  return lines;
}

export function otlpLines(p: OtlpPaneProps): string[] {
  const { otlp: o, width, height, theme } = p;
  const info: Seg[] = [];
  if (o.configured) {
    info.push([`${exact(o.totalPushes)} ${o.totalPushes === 1 ? 'push' : 'pushes'} `, 'muted']);
    if (o.failedPushes > 0) info.push([`${exact(o.failedPushes)} failed `, 'state.bad']);
    for (const r of o.pushes.slice(-12)) info.push([r.ok ? '●' : '✗', r.ok ? 'state.ok' : 'state.bad']);
    if (o.pushes.length) info.push([' ']);
  }
  const lines = [titleLine('OTLP metrics', p.focused, info, width, theme)];
  if (!o.configured) return lines.concat(emptyLines('exporter not configured', OTLP_SNIPPET, width, height, theme));
  const next = countdown(o.nextPushAt, p.now);
  lines.push(renderLine([['  ' + o.transport + ' ', 'key'], [o.endpoint, 'text']], width, theme));
  const when: Seg[] =
    o.pushingSince !== undefined
      ? [[' · ', 'muted'], ['pushing now ', 'state.warn'], [duration(Math.max(0, p.now - o.pushingSince)), 'number']]
      : [[next ? ' · next push ' : '', 'muted'], [next ?? '', 'number']];
  lines.push(renderLine([['  every ', 'muted'], [formatDuration(o.intervalMs), 'number'], ...when, [' · ', 'muted'], [o.state, sinkStateRole(o.state)]], width, theme));
  // The newest failure in full (wrapped), with its hint: the timeline rows only say FAIL.
  const last = o.pushes[o.pushes.length - 1];
  let budget = height - 3;
  if (last && !last.ok && budget > 2) {
    const text = wrap(`last error: ${last.error ?? 'failed'}${last.hint ? ` · hint: ${last.hint}` : ''} (Enter: details)`, Math.max(10, width - 4));
    const shown = text.slice(0, Math.max(1, Math.min(text.length, budget - 1)));
    for (const t of shown) lines.push(renderLine([['  ' + t, 'state.bad']], width, theme));
    budget -= shown.length;
  }
  if (o.pushes.length === 0) {
    lines.push(renderLine([['  no push yet (p pushes now)', 'muted']], width, theme));
    return lines;
  }
  const rows = budget;
  const newestFirst = o.pushes.slice().reverse();
  const first = Math.max(0, Math.min(p.scroll, newestFirst.length - rows));
  for (const r of newestFirst.slice(first, first + rows)) {
    const segs: Seg[] = [
      ['  ' + clock(r.startedAt) + ' ', 'muted'],
      [fit(r.ok ? 'ok' : 'FAIL', 4) + ' ', r.ok ? 'state.ok' : 'state.bad'],
      [fitRight(duration(r.durationMs), 7) + ' ', 'number'],
      [fitRight(exact(r.dataPoints), 7) + ' points ', 'text'],
    ];
    if (r.error) segs.push([r.error + ' ', 'state.bad']);
    lines.push(renderLine(segs, width, theme));
  }
  return lines;
}

export function OtlpPane(p: OtlpPaneProps) {
  const { otlp, now, scroll, focused, width, height, theme } = p;
  const lines = useMemo(() => otlpLines({ otlp, now, scroll, focused, width, height, theme }), [otlp, now, scroll, focused, width, height, theme]);
  return <Block lines={lines} width={width} height={height} />;
}
