import { KEY_KINDS } from '../../catalogue/keys.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../../runtime/event.js';
import type { SinkStatus, Snapshot } from '../../runtime/types.js';
import { valueText } from '../text/event-fields.js';
import { bytes, clock, duration, exact, rate, sparkline, timestamp } from '../text/format.js';
import { renderLine, stripSgr } from '../text/styled.js';
import { wrap } from '../text/plain.js';
import type { Role, Theme } from '../theme.js';
import { levelRole, sinkStateRole } from '../panes/common.js';
import { eventColumns, eventSegs } from '../panes/event-row.js';

/**
 * The content of the detail overlays (event, sink, messages; the webhook detail is in panes/webhook-lines.ts) as screen lines.
 * Long values are broken over several lines here, never by the terminal.
 */
const KEY_W = 22;

function field(key: string, value: string, width: number, theme: Theme, role?: Role): string[] {
  const parts = wrap(value, Math.max(10, width - KEY_W));
  return parts.map((p, i) => renderLine([[i === 0 ? ('  ' + key).padEnd(KEY_W) : ' '.repeat(KEY_W), 'key'], [p, role]], width, theme));
}

const section = (title: string, width: number, theme: Theme) => renderLine([[title, 'title']], width, theme);

function valueLines(key: string, v: Value, indent: string, width: number, theme: Theme): string[] {
  if (isNestedEvent(v)) {
    const out = field(indent + key, v.type, width, theme, 'text');
    for (const [k, x] of Object.entries(v.data)) out.push(...valueLines(k, x, indent + '  ', width, theme));
    return out;
  }
  let text = typeof v === 'string' ? JSON.stringify(v) : valueText(key, v);
  if (typeof v === 'number' && KEY_KINDS[key] === 'duration' && v >= 1000) text += ` (${duration(v)})`;
  return field(indent + key, text, width, theme, 'text');
}

function dataLines(data: EventData, width: number, theme: Theme): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(data)) out.push(...valueLines(k, v, '', width, theme));
  return out;
}

export function eventDetailLines(ev: TelemetryEvent, span: readonly TelemetryEvent[], width: number, theme: Theme): string[] {
  const out = [
    ...field('time', timestamp(ev.createdAt), width, theme),
    ...field('level', ev.level.toUpperCase(), width, theme, levelRole(ev.level)),
    ...field('event', ev.type, width, theme, 'text'),
    ...field('description', ev.text, width, theme),
    ...field('seq', exact(ev.seq), width, theme),
    ...(ev.source !== undefined ? field('source', ev.source, width, theme, 'text') : []),
  ];
  if (ev.spanId) out.push(...field('spanId', ev.spanId, width, theme));
  out.push('', section(`Keys (${Object.keys(ev.data).length})`, width, theme));
  out.push(...dataLines(ev.data, width, theme));
  if (ev.span) {
    out.push('', section('Span keys (from the span start event)', width, theme));
    out.push(...dataLines(ev.span, width, theme));
  }
  if (ev.spanId) {
    out.push('', section(`Events of span ${ev.spanId} still in the history (${span.length})`, width, theme));
    const cols = eventColumns(width - 2);
    for (const e of span) {
      const mark = e.seq === ev.seq ? '▶ ' : '  ';
      out.push(renderLine([[mark, 'key'], ...eventSegs(e, cols)], width, theme));
    }
  }
  return out;
}

/** The event-stream server (docs/streams.md): clients and frames instead of a queue. */
function streamDetailLines(s: SinkStatus, now: number, width: number, theme: Theme): string[] {
  const d = s.details;
  const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
  return [
    ...field('id', s.id, width, theme, 'text'),
    ...field('type', 'stream (Stalwart live tracing and metrics endpoints)', width, theme),
    ...field('listener', s.target, width, theme, 'text'),
    ...field('enabled', s.enabled ? 'on' : 'off (streams closed, new ones 503; tokens still issued)', width, theme, s.enabled ? 'state.ok' : 'state.off'),
    ...field('state', s.state, width, theme, sinkStateRole(s.state)),
    ...(s.lastError
      ? [...field('last error', s.lastError.message, width, theme, 'state.bad'), ...field('  at', timestamp(s.lastError.at), width, theme)]
      : field('last error', 'none', width, theme)),
    ...field('sees', 'every ingested event; a slow client is cut, never waited for', width, theme),
    '',
    section('Clients', width, theme),
    ...field('connected', `${exact(n('clients'))} of ${exact(s.queueCapacity)} (${exact(n('traceClients'))} tracing, ${exact(n('metricsClients'))} metrics)`, width, theme, 'number'),
    ...field('cut (not reading)', exact(n('clientsDropped')), width, theme, n('clientsDropped') ? 'state.warn' : 'number'),
    ...field('refused (503)', exact(n('clientsRefused')), width, theme, 'number'),
    ...field('auth failures', exact(n('authFailures')), width, theme, n('authFailures') ? 'state.warn' : 'number'),
    '',
    section('Traffic', width, theme),
    ...field('events sent', `${exact(s.written)} (summed over clients)`, width, theme, 'number'),
    ...field('events/s', `${rate(s.rate1s)}/s (1 s), ${rate(s.rate10s)}/s (10 s)`, width, theme, 'number'),
    ...field('frames', `${exact(n('frames'))}, ${rate(n('framesPerSec'))}/s`, width, theme, 'number'),
    ...field('bytes', `${bytes(n('bytes'))}, ${bytes(n('bytesPerSec'))}/s`, width, theme, 'number'),
    ...field('last frame', s.lastSuccessAt ? `${timestamp(s.lastSuccessAt)} (${duration(now - s.lastSuccessAt)} ago)` : 'never', width, theme),
    ...field('last 60 s', sparkline(s.history, Math.min(60, width - KEY_W)), width, theme, 'spark'),
  ];
}

export function sinkDetailLines(s: SinkStatus, now: number, width: number, theme: Theme): string[] {
  if (s.type === 'stream') return streamDetailLines(s, now, width, theme);
  const out = [
    ...field('id', s.id, width, theme, 'text'),
    ...field('subscriber', s.subscriberId, width, theme),
    ...field('type', s.type, width, theme),
    ...field('target', s.target, width, theme, 'text'),
    ...field('enabled', s.enabled ? 'on' : 'off', width, theme, s.enabled ? 'state.ok' : 'state.off'),
    ...field('state', s.state, width, theme, sinkStateRole(s.state)),
    ...(s.lastError
      ? [...field('last error', s.lastError.message, width, theme, 'state.bad'), ...field('  at', timestamp(s.lastError.at), width, theme)]
      : field('last error', 'none', width, theme)),
    ...field('lossy', s.lossy ? 'yes (drops when the queue is full)' : 'no (backpressure)', width, theme),
    ...field('events selected', exact(s.eventsSelected), width, theme),
    '',
    section('Counters', width, theme),
    ...field('received', exact(s.received), width, theme, 'number'),
    ...field('written', exact(s.written), width, theme, 'number'),
    ...field('dropped lossy', exact(s.droppedIntentional), width, theme, s.droppedIntentional ? 'state.warn' : 'number'),
    ...field('dropped failed', exact(s.droppedError), width, theme, s.droppedError ? 'state.bad' : 'number'),
    ...field('skipped (off)', exact(s.skipped), width, theme, 'number'),
    ...field('queue', `${exact(s.queueDepth)} of ${exact(s.queueCapacity)}`, width, theme, 'number'),
    ...field('rate', `${rate(s.rate1s)}/s (1 s), ${rate(s.rate10s)}/s (10 s)`, width, theme, 'number'),
    ...field('writes', `${exact(s.writes)} (${exact(s.failures)} failed)`, width, theme, 'number'),
    ...field('last success', s.lastSuccessAt ? `${timestamp(s.lastSuccessAt)} (${duration(now - s.lastSuccessAt)} ago)` : 'never', width, theme),
    ...field('last 60 s', sparkline(s.history, Math.min(60, width - KEY_W)), width, theme, 'spark'),
  ];
  const details = Object.entries(s.details);
  if (details.length) {
    out.push('', section('Details', width, theme));
    for (const [k, v] of details) out.push(...field(k, String(v), width, theme));
  }
  return out;
}

export function messagesLines(snap: Snapshot, width: number, theme: Theme): string[] {
  const out = [section(`Runtime messages (${snap.messages.length}, newest last)`, width, theme)];
  if (snap.messages.length === 0) out.push(renderLine([['  none', 'muted']], width, theme));
  for (const m of snap.messages) {
    const role = m.level === 'error' ? 'state.bad' : m.level === 'warn' ? 'state.warn' : 'muted';
    const parts = wrap(m.text, Math.max(10, width - 17));
    parts.forEach((p, i) =>
      out.push(renderLine(i === 0 ? [['  ' + clock(m.at) + ' ', 'muted'], [m.level.toUpperCase().padEnd(6), role], [p, 'text']] : [[' '.repeat(17) + p, 'text']], width, theme)),
    );
  }
  const lines = snap.consoleLines ?? [];
  out.push('', section(`Console tracer output (${lines.length} lines kept)`, width, theme));
  if (lines.length === 0) out.push(renderLine([['  none', 'muted']], width, theme));
  for (const l of lines) out.push(renderLine([['  ' + stripSgr(l), 'text']], width, theme));
  return out;
}
