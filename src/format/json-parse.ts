import { LEVELS } from '../catalogue/levels.js';
import type { Level } from '../catalogue/types.js';
import type { IncomingEvent, NestedEvent, Value } from '../runtime/event.js';
import { parseRfc3339 } from './json-time.js';

export type ParsedEvent = IncomingEvent | { error: string };

/** Events found in one JSON text, and one reason per rejected element. */
export interface ParsedEvents {
  events: IncomingEvent[];
  errors: string[];
}

/**
 * Accepts one event in either Stalwart shape:
 * - webhook (§3): `{"id","createdAt","type","data":{...}}`, `data` may hold `spanId`;
 * - live trace (§4): `{"text","details","createdAt","type","data"}`.
 * `spanId` (in `data`, or at the top level) moves to `IncomingEvent.spanId` as a decimal string;
 * its place among the keys of `data` is kept in `spanAt`, so encoders write the keys back in the
 * order they arrived.
 * `text` and `level` are taken when present; the catalogue wins for names it knows. A missing
 * `createdAt` is left for the collector to stamp; a missing `data` is an empty one. Names not in
 * the catalogue are accepted: the collector counts them.
 */
export function parseEventObject(obj: unknown): ParsedEvent {
  if (!isPlainObject(obj)) return { error: `event is ${describe(obj)}, not a JSON object` };
  const type = obj.type;
  if (type === undefined) return { error: 'missing "type"' };
  if (typeof type !== 'string' || type === '') return { error: `"type" is ${describe(type)}, not a non-empty string` };

  const out: IncomingEvent = { type, data: {} };
  const created = obj.createdAt;
  if (created !== undefined) {
    if (typeof created !== 'string') return { error: `"createdAt" is ${describe(created)}, not an RFC3339 string` };
    const ms = parseRfc3339(created);
    if (Number.isNaN(ms)) return { error: `"createdAt" is not a valid RFC3339 timestamp: ${clip(created)}` };
    out.createdAt = ms;
  }

  let spanId: unknown = obj.spanId;
  let spanAt: number | undefined;
  let count = 0;
  const raw = obj.data;
  if (raw !== undefined) {
    if (!isPlainObject(raw)) return { error: `"data" is ${describe(raw)}, not an object` };
    for (const key in raw) {
      const v = raw[key];
      if (key === 'spanId') {
        spanId = v;
        spanAt = count;
        continue;
      }
      count++;
      if (key === '__proto__') return { error: '"data" has a "__proto__" key' };
      const value = toValue(v);
      if (isBad(value)) return { error: `data.${key}${value.bad}` };
      out.data[key] = value;
    }
  }
  if (spanId !== undefined && spanId !== null) {
    const id = toSpanId(spanId);
    if (id === undefined) return { error: `"spanId" is ${describe(spanId)}, not an unsigned integer` };
    out.spanId = id;
    if (spanAt !== undefined) out.spanAt = spanAt;
  }
  if (typeof obj.text === 'string') out.text = obj.text;
  // A mailtel recording names the source each event came from.
  if (typeof obj.source === 'string' && obj.source !== '') out.source = obj.source;
  if (typeof obj.level === 'string') {
    const level = obj.level.toLowerCase();
    if ((LEVELS as readonly string[]).includes(level)) out.level = level as Level;
  }
  return out;
}

/**
 * Parses one JSON text (an NDJSON line, a webhook POST body) holding a single event, a webhook
 * body `{"events":[...]}` or an array of events (a live-trace `data:` payload). Integers too
 * large for a JS number are kept as decimal strings, so u64 span ids survive exactly.
 */
export function parseEventsJson(text: string): ParsedEvents {
  let value: unknown;
  try {
    value = JSON.parse(protectBigIntegers(text));
  } catch (e) {
    return { events: [], errors: [`invalid JSON: ${clip((e as Error).message, 120)}`] };
  }
  return parseEventsValue(value);
}

export function parseEventsValue(value: unknown): ParsedEvents {
  const result: ParsedEvents = { events: [], errors: [] };
  if (Array.isArray(value)) {
    collect(value, '', result);
  } else if (isPlainObject(value) && value.type === undefined && 'events' in value) {
    if (!Array.isArray(value.events)) result.errors.push(`"events" is ${describe(value.events)}, not an array`);
    else collect(value.events, 'events', result);
  } else {
    const ev = parseEventObject(value);
    if ('error' in ev) result.errors.push(ev.error);
    else result.events.push(ev);
  }
  return result;
}

function collect(items: unknown[], prefix: string, into: ParsedEvents): void {
  for (let i = 0; i < items.length; i++) {
    const ev = parseEventObject(items[i]);
    if ('error' in ev) into.errors.push(`${prefix}[${i}]: ${ev.error}`);
    else into.events.push(ev);
  }
}

/**
 * Quotes integer literals beyond Number.MAX_SAFE_INTEGER so JSON.parse keeps every digit.
 * One pass: strings are skipped with indexOf, number tokens outside them are measured. Text
 * that is not valid JSON is returned as it is, for JSON.parse to report.
 */
export function protectBigIntegers(text: string): string {
  const n = text.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) return text;
      i = j + 1;
    } else if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) continue;
        if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) integer = false;
        else break;
      }
      if (integer && j - i >= 16) {
        const token = text.slice(i, j);
        if (!Number.isSafeInteger(Number(token))) {
          out += text.slice(last, i) + '"' + token + '"';
          last = j;
        }
      }
      i = j;
    } else {
      i++;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

function isEscaped(text: string, quote: number): boolean {
  let n = 0;
  for (let i = quote - 1; text.charCodeAt(i) === 92 /* \ */; i--) n++;
  return n % 2 === 1;
}

type Converted = Value | { bad: string };

function toValue(v: unknown): Converted {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const out: Value[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = toValue(v[i]);
      if (isBad(item)) return { bad: `[${i}]${item.bad}` };
      out[i] = item;
    }
    return out;
  }
  if (isPlainObject(v) && typeof v.type === 'string' && isPlainObject(v.data)) {
    const nested: NestedEvent = { type: v.type, data: {} };
    for (const key in v.data) {
      if (key === '__proto__') return { bad: ' has a "__proto__" key' };
      const item = toValue(v.data[key]);
      if (isBad(item)) return { bad: `.data.${key}${item.bad}` };
      nested.data[key] = item;
    }
    return nested;
  }
  return { bad: ` is ${describe(v)}, not a value (string, number, boolean, array or nested {type, data})` };
}

function isBad(v: Converted): v is { bad: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'bad' in v;
}

const DIGITS = /^\d{1,20}$/;
const U64_MAX = 18446744073709551615n;

function toSpanId(v: unknown): string | undefined {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 18446744073709551615) return undefined;
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  if (typeof v === 'string' && DIGITS.test(v)) {
    if (v.length < 16 && (v.length === 1 || v.charCodeAt(0) !== 48)) return v;
    const n = BigInt(v);
    return n <= U64_MAX ? n.toString() : undefined;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${clip(JSON.stringify(v))}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function clip(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}
