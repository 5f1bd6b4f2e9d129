import type { WebhookAttempt, WebhookLedger } from '../../sinks/webhook/ledger.js';
import { bytes, clock, countdown, duration, exact, rate, timestamp } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit, fitRight, wrap } from '../text/plain.js';
import type { Role, Theme } from '../theme.js';

/**
 * The webhooks pane as a live delivery ledger: one row per webhook (its sink number, state,
 * delivered/s, last status, latency, pending, the oldest pending event's age against
 * discard-after as a bar, the countdown to the next attempt), then the selected webhook's recent
 * attempts. The detail view (Enter) adds the full error and the last request, secrets masked.
 */
export interface WebhookRow {
  ledger: WebhookLedger;
  /** The digit that switches it (its place among the sinks), undefined past 9. */
  number?: number;
}

export const STATE_ROLE: Record<WebhookLedger['state'], Role> = {
  idle: 'muted',
  sending: 'state.ok',
  ok: 'state.ok',
  retrying: 'state.bad',
  disabled: 'state.off',
  stopped: 'state.off',
};

const BAR = 8;

/** `▰▰▱▱▱▱▱▱`: how close the oldest pending event is to being discarded as stale. */
export function staleBar(ageMs: number | undefined, discardAfterMs: number, width = BAR): string {
  if (ageMs === undefined || discardAfterMs <= 0) return '▱'.repeat(width);
  const filled = Math.max(ageMs > 0 ? 1 : 0, Math.min(width, Math.round((ageMs / discardAfterMs) * width)));
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

export function statusText(status: number | undefined, error: string | undefined): string {
  if (status !== undefined) return String(status);
  return error ? 'ERR' : '—';
}

const okStatus = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/** When the next POST goes: `in 3s`, `now`, `in flight`, or `—` with nothing pending. */
export function nextText(l: WebhookLedger, now: number): string {
  if (l.inFlight > 0) return 'in flight';
  return countdown(l.nextAttemptAt, now) ?? '—';
}

interface Cols {
  id: number;
  /** From 110 columns: the delivered / stale / dropped totals too. */
  wide: boolean;
  /** Under 78 columns (the pane beside OTLP): no ev/s and latency, a shorter bar. */
  compact: boolean;
  bar: number;
}

function cols(rows: readonly WebhookRow[], width: number): Cols {
  let id = 7;
  for (const r of rows) id = Math.max(id, r.ledger.id.length);
  const compact = width < 78;
  return { id: Math.min(id, width >= 120 ? 18 : 10), wide: width >= 110, compact, bar: compact ? 5 : BAR };
}

function headerSegs(c: Cols): Seg[] {
  const rateLatency = c.compact ? '' : `${fitRight('ev/s', 6)} `;
  const latency = c.compact ? '' : `${fitRight('latency', 7)} `;
  const t =
    ` # ${fit('webhook', c.id)} ${fit('state', 8)} ${rateLatency}${fitRight('http', 4)} ${latency}${fitRight('pending', 7)} ` +
    `${fit('oldest / discard', c.bar + 12)} ${c.wide ? fit('next', 9) + ' delivered  stale  dropped' : 'next'}`;
  return [[t, 'muted']];
}

export function webhookRowSegs(r: WebhookRow, c: Cols, now: number): Seg[] {
  const l = r.ledger;
  const age = l.oldestPendingAgeMs;
  const near = age !== undefined && age >= l.discardAfterMs * 0.5;
  const segs: Seg[] = [
    [fitRight(r.number !== undefined ? String(r.number) : '', 2) + ' ', 'number'],
    [fit(l.id, c.id) + ' ', 'text'],
    [fit(l.enabled ? l.state : 'off', 8) + ' ', l.enabled ? STATE_ROLE[l.state] : 'state.off'],
    [c.compact ? '' : fitRight(rate(l.rate1s), 6) + ' ', 'number'],
    [fitRight(statusText(l.lastStatus, l.lastError?.message), 4) + ' ', l.attempts === 0 ? 'muted' : okStatus(l.lastStatus) && l.consecutiveFailures === 0 ? 'state.ok' : 'state.bad'],
    [c.compact ? '' : fitRight(l.lastLatencyMs !== undefined ? duration(l.lastLatencyMs) : '—', 7) + ' ', 'number'],
    [fitRight(exact(l.pending), 7) + ' ', l.pending >= l.queueSize * 0.8 ? 'state.warn' : 'number'],
    [staleBar(age, l.discardAfterMs, c.bar) + ' ', near ? 'state.warn' : 'spark'],
    [fit(`${age !== undefined ? duration(age) : '—'}/${duration(l.discardAfterMs)}`, 11) + ' ', near ? 'state.warn' : 'muted'],
    [fit(nextText(l, now), c.wide ? 9 : 10) + ' ', l.consecutiveFailures > 0 ? 'state.warn' : 'muted'],
  ];
  if (c.wide) {
    segs.push([fitRight(exact(l.delivered), 9) + ' ', 'number']);
    segs.push([fitRight(exact(l.discarded), 6) + ' ', l.discarded > 0 ? 'state.warn' : 'muted']);
    segs.push([fitRight(exact(l.dropped), 8), l.dropped > 0 ? 'state.bad' : 'muted']);
  }
  return segs;
}

/** One attempt of the ledger: time, batch, status or error, latency, attempt number. */
export function attemptSegs(a: WebhookAttempt): Seg[] {
  const ok = a.error === undefined;
  const segs: Seg[] = [
    ['   ' + clock(a.at) + ' ', 'muted'],
    [fitRight(exact(a.events), 7) + ' ev ', 'number'],
    [fitRight(bytes(a.bytes), 10) + ' ', 'muted'],
    [fitRight(statusText(a.status, a.error), 4) + ' ', ok ? 'state.ok' : 'state.bad'],
    [fitRight(duration(a.latencyMs), 7) + ' ', 'number'],
    [fit('#' + a.attempt, 4) + ' ', a.attempt > 1 ? 'state.warn' : 'muted'],
  ];
  if (a.error) segs.push([a.error, 'state.bad']);
  return segs;
}

export interface WebhookLinesInput {
  rows: readonly WebhookRow[];
  cursor: number;
  focused: boolean;
  now: number;
  width: number;
  /** Content lines available below the title. */
  rowsAvailable: number;
  theme: Theme;
}

/** The content below the title: the webhook rows, then the selected one's recent attempts. */
export function webhookLedgerLines(p: WebhookLinesInput): string[] {
  const { rows, width, theme } = p;
  const out: string[] = [];
  const c = cols(rows, width);
  let room = p.rowsAvailable;
  if (room > rows.length + 1) {
    out.push(renderLine(headerSegs(c), width, theme));
    room--;
  }
  const cursor = Math.max(0, Math.min(p.cursor, rows.length - 1));
  const shown = Math.min(rows.length, Math.max(1, room));
  const first = Math.max(0, Math.min(cursor - shown + 1, rows.length - shown));
  for (let i = first; i < first + shown; i++) {
    out.push(renderLine(webhookRowSegs(rows[i]!, c, p.now), width, theme, p.focused && i === cursor ? 'selected' : undefined));
  }
  room -= shown;
  const sel = rows[cursor]?.ledger;
  if (sel && room >= 2) {
    out.push(renderLine([[`  ${sel.id}: recent attempts `, 'title'], [sel.recent.length ? '' : '(none yet: f flushes now)', 'muted']], width, theme));
    room--;
    for (const a of sel.recent.slice(0, room)) out.push(renderLine(attemptSegs(a), width, theme));
  }
  return out;
}

/** How many content lines the pane would like: header, rows, the ledger title and a few attempts. */
export function webhookLedgerWant(rows: readonly WebhookRow[], cursor: number): number {
  const sel = rows[Math.max(0, Math.min(cursor, rows.length - 1))]?.ledger;
  return 1 + rows.length + 1 + Math.max(1, Math.min(8, sel?.recent.length ?? 0));
}

const KEY_W = 22;

function field(key: string, value: string, width: number, theme: Theme, role?: Role): string[] {
  const parts = wrap(value, Math.max(10, width - KEY_W));
  return parts.map((p, i) => renderLine([[i === 0 ? ('  ' + key).padEnd(KEY_W) : ' '.repeat(KEY_W), 'key'], [p, role]], width, theme));
}

const section = (title: string, width: number, theme: Theme) => renderLine([[title, 'title']], width, theme);

/** The detail view of one webhook: settings, totals, the full last error, the last request. */
export function webhookDetailLines(l: WebhookLedger, now: number, width: number, theme: Theme): string[] {
  const out = [
    ...field('webhook', l.id, width, theme, 'text'),
    ...field('url', l.url, width, theme, 'text'),
    ...field('state', l.enabled ? l.state : 'off', width, theme, l.enabled ? STATE_ROLE[l.state] : 'state.off'),
    ...field('settings', `throttle ${duration(l.throttleMs)}, timeout ${duration(l.timeoutMs)}, discard-after ${duration(l.discardAfterMs)}, queue ${exact(l.queueSize)}`, width, theme),
    ...field('signature', l.signed ? 'X-Signature (HMAC-SHA256)' : 'none', width, theme),
    ...field('auth', l.auth, width, theme),
    '',
    section('Counts (received = delivered + stale + dropped + pending)', width, theme),
    ...field('received', exact(l.received), width, theme, 'number'),
    ...field('delivered', exact(l.delivered), width, theme, 'number'),
    ...field('discarded (stale)', exact(l.discarded), width, theme, l.discarded ? 'state.warn' : 'number'),
    ...field('dropped', exact(l.dropped), width, theme, l.dropped ? 'state.bad' : 'number'),
    ...field('pending', `${exact(l.pending)}${l.inFlight ? ` (${exact(l.inFlight)} in flight)` : ''}`, width, theme, 'number'),
    ...field('skipped (off)', exact(l.skipped), width, theme, 'number'),
    ...field('oldest pending', l.oldestPendingAgeMs !== undefined ? `${duration(l.oldestPendingAgeMs)} of ${duration(l.discardAfterMs)}` : 'none', width, theme),
    ...field('next attempt', nextText(l, now), width, theme),
    ...field('attempts', `${exact(l.attempts)} (${exact(l.failedAttempts)} failed)`, width, theme, 'number'),
    ...field('last success', l.lastSuccessAt ? `${timestamp(l.lastSuccessAt)} (${duration(now - l.lastSuccessAt)} ago)` : 'never', width, theme),
    ...(l.lastError
      ? [...field('last error', l.lastError.message, width, theme, 'state.bad'), ...field('  at', timestamp(l.lastError.at), width, theme)]
      : field('last error', 'none', width, theme)),
  ];
  const r = l.lastRequest;
  if (r) {
    out.push('', section(`Last request (${timestamp(r.at)}, ${bytes(r.bytes)})`, width, theme));
    out.push(...field('POST', r.url, width, theme, 'text'));
    for (const [n, v] of r.headers) out.push(...field(n, v, width, theme, 'text'));
    out.push(...field('body', r.bodyExcerpt, width, theme, 'muted'));
  }
  if (l.recent.length) {
    out.push('', section('Recent attempts', width, theme));
    for (const a of l.recent) out.push(renderLine(attemptSegs(a), width, theme));
  }
  return out;
}
