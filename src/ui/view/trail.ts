import type { TelemetryEvent, Value } from '../../runtime/event.js';
import type { MessageRecord, MessageState } from '../../runtime/mail-index.js';

/**
 * The message trail as a view model: pure functions over one `MessageRecord` (a copy of what
 * the runtime's mail index holds). Steps are grouped by phase (the inbound session, each
 * delivery attempt and destination domain, the DSNs), each with its offset from the first step.
 */
export interface TrailStep {
  ev: TelemetryEvent;
  /** ms since the trail's first step. */
  offsetMs: number;
  /** Duration the event reports (`elapsed`), ms. */
  elapsedMs?: number;
  /** The phase heading this step belongs to. */
  group: string;
  detail: string;
  bad: boolean;
}

export interface TrailModel {
  queueId: string;
  from: string;
  to: string[];
  state: MessageState;
  firstAt: number;
  lastAt: number;
  steps: TrailStep[];
  attempts: number;
  dsns: number;
  nextRetry?: string;
  /** The start fell out of the index, or was before the runtime started. */
  incomplete: boolean;
  /** Steps past the per-message bound that were not kept. */
  dropped: number;
}

const BAD = /(fail|error|rejected|not-authorized|ban|unavailable|does-not-exist|not-allowed|too-many|exceeded|null-mx|double-bounce|spam)/;

/** An event that should stand out in a trail: warn/error level, or a failure by its name. */
export function isBadStep(ev: TelemetryEvent): boolean {
  if (ev.level === 'warn' || ev.level === 'error') return true;
  if (BAD.test(ev.type)) return true;
  const code = ev.data.code;
  return typeof code === 'number' && code >= 400;
}

/** A message's state from its recipients' last outcomes. */
export function messageState(rcpts: ReadonlyMap<string, string>): MessageState {
  let delivered = 0;
  let failed = 0;
  let deferred = 0;
  let pending = 0;
  for (const o of rcpts.values()) {
    if (o === 'delivered') delivered++;
    else if (o === 'failed') failed++;
    else if (o === 'deferred') deferred++;
    else pending++;
  }
  if (deferred > 0) return 'deferred';
  if (pending > 0 || rcpts.size === 0) return 'queued';
  if (failed === 0) return 'delivered';
  return delivered > 0 ? 'partial' : 'failed';
}

const DETAIL_KEYS = ['remoteIp', 'domain', 'hostname', 'from', 'to', 'accountName', 'code', 'details', 'reason', 'version', 'nextRetry', 'queueId'];

function valueText(v: Value): string {
  if (Array.isArray(v)) return v.map(valueText).join(',');
  if (v !== null && typeof v === 'object') return v.type;
  return String(v);
}

function detail(ev: TelemetryEvent): string {
  const parts: string[] = [];
  for (const k of DETAIL_KEYS) {
    const v = ev.data[k];
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${k}=${valueText(v)}`);
  }
  return parts.join(' ');
}

export function trailModel(m: MessageRecord): TrailModel {
  const events = [...m.events].sort((a, b) => a.seq - b.seq);
  const first = events[0]?.createdAt ?? m.firstAt;
  const attemptOf = new Map<string, number>();
  for (const s of m.spans) if (s !== m.inboundSpan) attemptOf.set(s, attemptOf.size + 1);
  // A delivery span's heading names its domain(s), from its domain-delivery-start events.
  const domainOf = new Map<string, string>();
  for (const ev of events) {
    if (ev.type !== 'delivery.domain-delivery-start' || ev.spanId === undefined || typeof ev.data.domain !== 'string') continue;
    const d = domainOf.get(ev.spanId);
    domainOf.set(ev.spanId, d ? `${d}, ${ev.data.domain}` : ev.data.domain);
  }
  const steps: TrailStep[] = [];
  for (const ev of events) {
    let group: string;
    const sid = ev.spanId;
    if (ev.type.startsWith('delivery.dsn') || ev.type === 'queue.queue-dsn' || ev.type === 'queue.dsn-queued' || ev.type === 'delivery.double-bounce') group = 'DSN';
    else if (sid !== undefined && sid === m.inboundSpan) group = `inbound session${m.remoteIps.size ? ' from ' + [...m.remoteIps][0] : ''}`;
    else if (sid !== undefined && attemptOf.has(sid)) {
      const d = domainOf.get(sid);
      group = `delivery attempt ${attemptOf.get(sid)}${d ? ' · ' + d : ''}`;
    } else group = 'queue';
    const el = ev.data.elapsed;
    steps.push({ ev, offsetMs: ev.createdAt - first, elapsedMs: typeof el === 'number' ? el : undefined, group, detail: detail(ev), bad: isBadStep(ev) });
  }
  return {
    queueId: m.queueId,
    from: m.from ?? '',
    to: m.to.slice(),
    state: messageState(m.rcpts),
    firstAt: first,
    lastAt: events[events.length - 1]?.createdAt ?? m.lastAt,
    steps,
    attempts: attemptOf.size,
    dsns: m.dsns,
    nextRetry: m.nextRetry,
    incomplete: m.incomplete,
    dropped: m.dropped,
  };
}

/**
 * A waterfall cell of `width` columns: where the step falls on the trail's time line, and
 * (for a step that reports its duration) how long it took, ending at the step.
 */
export function waterfallBar(offsetMs: number, elapsedMs: number | undefined, totalMs: number, width: number): string {
  if (width <= 0) return '';
  const span = Math.max(1, totalMs);
  const end = Math.min(width - 1, Math.round((offsetMs / span) * (width - 1)));
  const len = elapsedMs ? Math.max(1, Math.round((elapsedMs / span) * (width - 1))) : 1;
  const start = Math.max(0, end - len + 1);
  let out = '';
  for (let i = 0; i < width; i++) out += i === end ? '●' : i >= start && i < end ? '━' : '·';
  return out;
}
