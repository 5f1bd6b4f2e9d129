import { spanIdAt, typeId } from '../../catalogue/index.js';
import { encodeWebhookEvent } from '../../format/json-encode.js';
import { formatRfc3339Seconds } from '../../format/json-time.js';
import type { TelemetryEvent, Value } from '../../runtime/event.js';

/**
 * The v0.15 webhook event JSON, the same bytes as `encodeWebhookEvent(ev, '0.15')`
 * (src/format/json-encode.ts, which documents the format), written in one pass for the common
 * event: the head (`{"id":…,"createdAt":…,"type":…,"data":{`) cached per type and second, each
 * key's quoted text cached per type and position, plain values written directly (a string
 * through JSON.stringify only when it holds a character JSON escapes), `spanId` placed as the
 * shared encoder places it, then the span's keys. Events the shortcut does not write (nested
 * events, a span id that is not all digits) go to the shared encoder.
 * test/sinks/webhook/fast-encode.test.ts compares both over generated traffic and the edge cases.
 */
export function encodeWebhookEvent015(ev: TelemetryEvent): string {
  const t = typeHead(ev.type);
  const ms = ev.createdAt;
  const second = Math.floor(ms / 1000);
  if (second !== t.second) {
    t.second = second;
    const seconds = Number.isFinite(ms) ? Math.max(0, second) : 0;
    t.head = '{"id":"' + seconds + t.id + '","createdAt":"' + formatRfc3339Seconds(ms) + t.tail;
  }
  const spanId = ev.spanId;
  // Where spanId goes among the own keys (it is written before the key at index `at`, or last).
  let at = -1;
  if (spanId !== undefined) {
    if (!isU64(spanId)) return encodeWebhookEvent(ev, '0.15');
    at = spanIdAt(ev.type, ev.spanAt);
  }
  const data = ev.data;
  const keys = t.keys;
  let out = t.head;
  let first = true;
  let i = 0;
  for (const k in data) {
    if (at >= 0) {
      if (k === 'spanId') continue;
      if (i === at) {
        out += first ? '"spanId":' + spanId : ',"spanId":' + spanId;
        first = false;
      }
    }
    let q = keys[i];
    if (q === undefined || q.key !== k) {
      q = keyText(k);
      if (i < 64) keys[i] = q;
    }
    i++;
    const v = data[k];
    // Appended piece by piece, the pieces cached: each `+` makes a string node to collect.
    if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) {
      out += first ? q.firstOpen : q.nextOpen;
      out += v;
      out += '"';
      first = false;
      continue;
    }
    const s = value(v);
    if (s === SKIP) continue;
    if (s === SHARED) return encodeWebhookEvent(ev, '0.15');
    out += first ? q.first : q.next;
    out += s;
    first = false;
  }
  if (at >= i) {
    out += first ? '"spanId":' + spanId : ',"spanId":' + spanId;
    first = false;
  }
  const span = ev.span;
  if (span) {
    for (const k in span) {
      const s = value(span[k]);
      if (s === SKIP) continue;
      if (s === SHARED) return encodeWebhookEvent(ev, '0.15');
      // The first occurrence of a key wins: the event's own (non-null) keys, and its spanId.
      if (k === 'spanId' && at >= 0) continue;
      if (Object.hasOwn(data, k) && data[k] !== null && data[k] !== undefined) continue;
      const q = keyText(k);
      out += first ? q.first : q.next;
      out += s;
      first = false;
    }
  }
  return out + '}}';
}

/** No key (null and undefined values are left out). */
const SKIP = '';
/** A value the shortcut does not write (a nested event): the shared encoder writes the event. */
const SHARED = '\u0000';

/** A value's JSON as the shared encoder's encodeValue writes it, or SKIP / SHARED. */
function value(v: Value | undefined): string {
  switch (typeof v) {
    case 'string':
      return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
    case 'number':
      return Number.isFinite(v) ? '' + v : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return SKIP;
    default:
      if (v === null) return SKIP;
      // Arrays of plain values: JSON.stringify writes them as encodeValue does (undefined, NaN -> null).
      return Array.isArray(v) && plainArray(v) ? JSON.stringify(v) : SHARED;
  }
}

/** What JSON.stringify escapes in a string: quote, backslash, controls, surrogates (lone ones). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Elements JSON.stringify and the encoder write alike: anything but objects (null included). */
function plainArray(a: Value[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x === 'object' && x !== null) return false;
  }
  return true;
}

/** 1 to 20 ASCII digits: written as a bare number, like Stalwart's u64. */
function isU64(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A key's JSON text: `"key":` first in its object or `,"key":` after another, each also with a string's opening quote. */
interface KeyText {
  key: string;
  first: string;
  next: string;
  firstOpen: string;
  nextOpen: string;
}

const KEYS = new Map<string, KeyText>();
function keyText(key: string): KeyText {
  let q = KEYS.get(key);
  if (q === undefined) {
    const first = JSON.stringify(key) + ':';
    q = { key, first, next: ',' + first, firstOpen: first + '"', nextOpen: ',' + first + '"' };
    if (KEYS.size < 4096) KEYS.set(key, q);
  }
  return q;
}

interface TypeHead {
  /** The v0.15 type id as text ('' for a name v0.15 does not have). */
  id: string;
  /** `","type":"<name>","data":{` */
  tail: string;
  /** The second `head` was written for. */
  second: number;
  head: string;
  /** The keys last seen at each position, as text: events of a type repeat them. */
  keys: (KeyText | undefined)[];
}

const HEADS = new Map<string, TypeHead>();
function typeHead(type: string): TypeHead {
  let h = HEADS.get(type);
  if (h === undefined) {
    const id = typeId(type, '0.15');
    h = { id: id === undefined ? '' : String(id), tail: '","type":' + JSON.stringify(type) + ',"data":{', second: NaN, head: '', keys: [] };
    if (HEADS.size < 4096) HEADS.set(type, h);
  }
  return h;
}
