import { spanIdAt, typeId } from '../../catalogue/index.js';
import { encodeValue, encodeWebhookEvent } from '../../format/json-encode.js';
import { formatRfc3339Seconds } from '../../format/json-time.js';
import type { EventData, TelemetryEvent, Value } from '../../runtime/event.js';

/**
 * The v0.15 webhook event JSON, the same bytes as `encodeWebhookEvent(ev, '0.15')`
 * (src/format/json-encode.ts, which documents the format), faster for the common event: its
 * `data` is handed to V8's JSON.stringify, which writes plain values exactly as the shared
 * encoder does, and `spanId` and the span's keys are spliced in around it. Events the shortcut
 * cannot write identically (null values, nested events, `spanId` placed mid-keys, a span id
 * that is not all digits) go to the shared encoder. test/sinks/webhook/fast-encode.test.ts
 * compares both over generated traffic and the edge cases.
 */
export function encodeWebhookEvent015(ev: TelemetryEvent): string {
  const data = ev.data;
  const keys = plainKeys(data);
  if (keys < 0) return encodeWebhookEvent(ev, '0.15');
  let body = JSON.stringify(data);
  const spanId = ev.spanId;
  if (spanId !== undefined) {
    if (!DIGITS.test(spanId) || Object.hasOwn(data, 'spanId')) return encodeWebhookEvent(ev, '0.15');
    const at = spanIdAt(ev.type, ev.spanAt);
    const field = '"spanId":' + spanId;
    if (body === '{}') body = '{' + field + '}';
    else if (at === 0) body = '{' + field + ',' + body.slice(1);
    else if (at >= keys) body = body.slice(0, -1) + ',' + field + '}';
    else return encodeWebhookEvent(ev, '0.15');
  }
  if (ev.span) {
    const extra = spanKeys(ev.span, data, spanId !== undefined);
    if (extra) body = body.length === 2 ? '{' + extra.slice(1) + '}' : body.slice(0, -1) + extra + '}';
  }
  return '{"id":"' + idPrefix(ev) + '","createdAt":"' + formatRfc3339Seconds(ev.createdAt) + head(ev.type) + body + '}';
}

const DIGITS = /^\d{1,20}$/;

/** How many keys `data` has, or -1 when JSON.stringify would not write it as the encoder does. */
function plainKeys(data: EventData): number {
  let n = 0;
  for (const k in data) {
    const v = data[k];
    if (typeof v === 'object' && (v === null || !Array.isArray(v) || !plainArray(v))) return -1;
    n++;
  }
  return n;
}

/** Elements JSON.stringify and the encoder write alike: anything but objects (null included). */
function plainArray(a: Value[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x === 'object' && x !== null) return false;
  }
  return true;
}

/** `,"key":value` for each span key the event does not carry itself (null values left out). */
function spanKeys(span: EventData, own: EventData, hasSpanId: boolean): string {
  let out = '';
  for (const k in span) {
    const v = span[k];
    if (v === null || v === undefined) continue;
    if (k === 'spanId' ? hasSpanId || (own.spanId !== undefined) : own[k] !== undefined && own[k] !== null) continue;
    out += ',' + quoted(k) + encodeValue(v);
  }
  return out;
}

const QUOTED = new Map<string, string>();
function quoted(key: string): string {
  let q = QUOTED.get(key);
  if (q === undefined) {
    q = JSON.stringify(key) + ':';
    if (QUOTED.size < 4096) QUOTED.set(key, q);
  }
  return q;
}

const HEADS = new Map<string, string>();
/** `","type":"<name>","data":` per type. */
function head(type: string): string {
  let h = HEADS.get(type);
  if (h === undefined) {
    h = '","type":' + JSON.stringify(type) + ',"data":';
    if (HEADS.size < 4096) HEADS.set(type, h);
  }
  return h;
}

/** Unix seconds then the v0.15 type id (none for a name v0.15 does not have). */
function idPrefix(ev: TelemetryEvent): string {
  const seconds = Number.isFinite(ev.createdAt) ? Math.max(0, Math.floor(ev.createdAt / 1000)) : 0;
  const id = typeId(ev.type, '0.15');
  return id === undefined ? String(seconds) : String(seconds) + id;
}
