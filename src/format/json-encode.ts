import { eventInfo, spanIdAt, typeId } from '../catalogue/index.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../runtime/event.js';
import { formatRfc3339Seconds } from './json-time.js';

export type WebhookVersion = '0.15' | '0.16';

export interface WebhookEncodeOptions {
  /** v0.16 ids embed a process-wide counter; tests pass their own. Default: a module counter. */
  nextCounter?: () => number;
}

let processCounter = 0;
const defaultCounter = (): number => processCounter++;
const U64_DIGITS = /^\d{1,20}$/;

/**
 * The webhook POST body (docs/stalwart.md §3), compact: `{"events":[{"id","createdAt","type","data"}]}`.
 *
 * - `id`: unix seconds immediately followed by the event's v0.15 type id (its position in
 *   declaration order in Stalwart's source: `auth.success` is 551), or seconds + counter + the
 *   v0.16 type id (v0.16). A name that version does not have gets no type id: its id is the
 *   seconds (and counter) alone.
 * - `data`: own keys, then the parent span's keys, first occurrence of each key kept, null
 *   values omitted, `spanId` included. A replayed event keeps `spanId` where it arrived
 *   (`spanAt`: `delivery.attempt-start` writes it first, for example). Without a known place,
 *   `spanId` goes last on span start events and first on every other event.
 * - `spanId` is written as a bare JSON number with all its digits, like Stalwart's u64, even
 *   beyond Number.MAX_SAFE_INTEGER (a JS receiver must parse it with care, as with Stalwart).
 * - Floats print the JS way (`1`, not serde's `1.0`).
 */
export function encodeWebhookBody(
  events: readonly TelemetryEvent[],
  version: WebhookVersion,
  opts: WebhookEncodeOptions = {},
): string {
  const next = opts.nextCounter ?? defaultCounter;
  let out = '{"events":[';
  for (let i = 0; i < events.length; i++) {
    if (i > 0) out += ',';
    out += encodeWebhookEvent(events[i]!, version, next);
  }
  return out + ']}';
}

export function encodeWebhookEvent(ev: TelemetryEvent, version: WebhookVersion, next: () => number = defaultCounter): string {
  return (
    '{"id":"' +
    webhookEventId(ev, version, next) +
    '","createdAt":"' +
    formatRfc3339Seconds(ev.createdAt) +
    '","type":' +
    JSON.stringify(ev.type) +
    ',"data":' +
    webhookData(ev) +
    '}'
  );
}

export function webhookEventId(ev: TelemetryEvent, version: WebhookVersion, next: () => number = defaultCounter): string {
  const seconds = Number.isFinite(ev.createdAt) ? Math.max(0, Math.floor(ev.createdAt / 1000)) : 0;
  const id = typeId(ev.type, version);
  const tail = id === undefined ? '' : String(id);
  return version === '0.15' ? `${seconds}${tail}` : `${seconds}${next()}${tail}`;
}

function webhookData(ev: TelemetryEvent): string {
  const seen = new Set<string>();
  let out = '{';
  if (ev.spanId === undefined) {
    out = addKeys(out, ev.data, seen);
  } else {
    const at = spanIdAt(ev.type, ev.spanAt);
    out = addKeys(out, ev.data, seen, ev.spanId, at);
  }
  if (ev.span) out = addKeys(out, ev.span, seen);
  return out + '}';
}

function addSpanId(out: string, spanId: string, seen: Set<string>): string {
  seen.add('spanId');
  const value = U64_DIGITS.test(spanId) ? spanId : JSON.stringify(spanId);
  return out + (out.length > 1 ? ',' : '') + '"spanId":' + value;
}

/** Appends `data`'s keys; `spanId`, when given, goes before the key at index `spanAt` (or last). */
function addKeys(out: string, data: EventData, seen: Set<string>, spanId?: string, spanAt = Infinity): string {
  let i = 0;
  for (const key in data) {
    if (spanId !== undefined) {
      if (key === 'spanId') continue;
      if (i++ === spanAt) out = addSpanId(out, spanId, seen);
    }
    const v = data[key];
    if (v === null || v === undefined || seen.has(key)) continue;
    seen.add(key);
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + encodeValue(v);
  }
  if (spanId !== undefined && !seen.has('spanId')) out = addSpanId(out, spanId, seen);
  return out;
}

/** Own keys only, in order, null values omitted (nested event data, live-trace data). */
export function encodeData(data: EventData): string {
  let out = '{';
  for (const key in data) {
    const v = data[key];
    if (v === null || v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + encodeValue(v);
  }
  return out + '}';
}

/** docs/stalwart.md §3 value encoding: strings, numbers, booleans as-is, arrays, nested `{"type","data"}`. */
export function encodeValue(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + encodeValue(v[i]!);
    return out + ']';
  }
  if (isNestedEvent(v)) return '{"type":' + JSON.stringify(v.type) + ',"data":' + encodeData(v.data) + '}';
  return 'null';
}

/**
 * One element of the live SSE `trace` array (docs/stalwart.md §4, §0): `{"text","details","createdAt","type","data"}`.
 * No `id`; `data` holds the event's own keys, then the parent span's keys (first occurrence of a
 * key kept, nulls left out, `spanId` never). A nested event is `{"type","text","details","data"}`.
 * `details` is Stalwart's long explanation, which the catalogue does not carry: the short
 * description is repeated there.
 */
export function encodeLiveTraceEvent(ev: TelemetryEvent): string {
  // Streams encode every event once: the per-type head and the per-second stamp are cached.
  const key = ev.type + '\u0000' + ev.text;
  let head = liveHeads.get(key);
  if (head === undefined) {
    const text = JSON.stringify(ev.text);
    head = ['{"text":' + text + ',"details":' + text + ',"createdAt":"', '","type":' + JSON.stringify(ev.type) + ',"data":'];
    if (liveHeads.size > 4096) liveHeads.clear();
    liveHeads.set(key, head);
  }
  const sec = Math.floor(ev.createdAt / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastStamp = formatRfc3339Seconds(ev.createdAt);
  }
  return head[0] + lastStamp + head[1] + liveData(ev.data, ev.span) + '}';
}

const liveHeads = new Map<string, [string, string]>();
let lastSecond = NaN;
let lastStamp = '';

/** The `data:` payload of one SSE `event: trace` message: a JSON array of live-trace events. */
export function encodeLiveTraceArray(events: readonly TelemetryEvent[]): string {
  let out = '[';
  for (let i = 0; i < events.length; i++) out += (i > 0 ? ',' : '') + encodeLiveTraceEvent(events[i]!);
  return out + ']';
}

const keyJsonCache = new Map<string, string>();

/** A key as JSON; the few dozen key names in use are escaped once. */
function keyJson(key: string): string {
  let json = keyJsonCache.get(key);
  if (json === undefined) {
    json = JSON.stringify(key);
    if (keyJsonCache.size < 10_000) keyJsonCache.set(key, json);
  }
  return json;
}

function liveData(data: EventData, span: EventData | undefined): string {
  let out = '{';
  for (const key in data) {
    const v = data[key];
    if (v === null || v === undefined || key === 'spanId') continue;
    out += (out.length > 1 ? ',' : '') + keyJson(key) + ':' + liveValue(v);
  }
  if (span) {
    for (const key in span) {
      const v = span[key];
      // An own key wins unless it is null (a null never claims its key, as in Stalwart).
      if (v === null || v === undefined || key === 'spanId' || (data[key] !== null && data[key] !== undefined)) continue;
      out += (out.length > 1 ? ',' : '') + keyJson(key) + ':' + liveValue(v);
    }
  }
  return out + '}';
}

function liveValue(v: Value): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + liveValue(v[i]!);
    return out + ']';
  }
  if (v !== null && typeof v === 'object' && isNestedEvent(v)) {
    const text = JSON.stringify(eventInfo(v.type)?.description ?? v.type);
    return '{"type":' + JSON.stringify(v.type) + ',"text":' + text + ',"details":' + text + ',"data":' + liveData(v.data, undefined) + '}';
  }
  return encodeValue(v);
}
