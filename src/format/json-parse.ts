import { LEVELS } from '../catalogue/levels.js';
import type { Level } from '../catalogue/types.js';
import type { EventData, IncomingEvent, NestedEvent, Value } from '../runtime/event.js';
import { parseRfc3339 } from './json-time.js';

export type ParsedEvent = IncomingEvent | { error: string };

/** Events found in one JSON text, and one reason per rejected element. */
export interface ParsedEvents {
  events: IncomingEvent[];
  errors: string[];
}

/**
 * Says, before an event's data is copied, how many of its own keys (in order, `spanId` not
 * counted) to keep; the rest are left out. The replay's span-key folding uses it, so an event
 * whose data is trimmed is still built once. `data` is the parsed object as it is.
 */
export type KeepKeys = (type: string, spanId: string | undefined, data: Record<string, unknown>) => number;

/**
 * Accepts one event in either Stalwart shape:
 * - webhook (docs/stalwart.md §3): `{"id","createdAt","type","data":{...}}`, `data` may hold `spanId`;
 * - live trace (docs/stalwart.md §4): `{"text","details","createdAt","type","data"}`.
 * `spanId` (in `data`, or at the top level) moves to `IncomingEvent.spanId` as a decimal string;
 * its place among the keys of `data` is kept in `spanAt`, so encoders write the keys back in the
 * order they arrived.
 * `text` and `level` are taken when present; the catalogue wins for names it knows. A missing
 * `createdAt` is left for the collector to stamp; a missing `data` is an empty one. Names not in
 * the catalogue are accepted: the collector counts them.
 * When every value is a plain one and nothing is left out, the parsed `data` object is used as
 * it is (no copy); otherwise it is copied once, without `spanId`, nested values converted.
 */
export function parseEventObject(obj: unknown, keep?: KeepKeys): ParsedEvent {
  return buildEvent(obj, keep, undefined)!;
}

/**
 * `parseEventObject`; with `text` (the JSON text `obj` was parsed from as it is, big integers
 * rounded), an integer beyond 2^53 in `data` or the top-level `spanId` gets its exact digits back
 * from the text (exactInteger), and undefined comes back when that is not certain (then the
 * caller reads the rewritten text). Nothing is handed to `keep` before that is settled.
 */
function buildEvent(obj: unknown, keep: KeepKeys | undefined, text: string | undefined): ParsedEvent | undefined {
  if (!isPlainObject(obj)) return { error: `event is ${describe(obj)}, not a JSON object` };
  const type = obj.type;
  if (type === undefined) return { error: 'missing "type"' };
  if (typeof type !== 'string' || type === '') return { error: `"type" is ${describe(type)}, not a non-empty string` };

  let createdAt: number | undefined;
  const created = obj.createdAt;
  if (created !== undefined) {
    if (typeof created !== 'string') return { error: `"createdAt" is ${describe(created)}, not an RFC3339 string` };
    createdAt = parseRfc3339(created);
    if (Number.isNaN(createdAt)) return { error: `"createdAt" is not a valid RFC3339 timestamp: ${clip(created)}` };
  }

  const raw = obj.data;
  let spanId: unknown = obj.spanId;
  let spanAt: number | undefined;
  let count = 0;
  let plain = true;
  if (raw !== undefined) {
    if (!isPlainObject(raw)) return { error: `"data" is ${describe(raw)}, not an object` };
    for (const key in raw) {
      let v = raw[key];
      if (text !== undefined && typeof v === 'number' && (v > MAX_SAFE || v < -MAX_SAFE)) {
        const exact = exactInteger(text, key, v);
        if (exact === undefined) return undefined;
        raw[key] = v = exact;
      }
      if (key === 'spanId') {
        spanId = v;
        spanAt = count;
        plain = false;
        continue;
      }
      if (key === '__proto__') return { error: '"data" has a "__proto__" key' };
      count++;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') continue;
      if (text !== undefined && lostDigits(v)) return undefined;
      const value = toValue(v);
      if (isBad(value)) return { error: `data.${key}${value.bad}` };
      plain = false;
    }
  }
  if (text !== undefined && typeof spanId === 'number' && spanId > MAX_SAFE) {
    spanId = exactInteger(text, 'spanId', spanId);
    if (spanId === undefined) return undefined;
  }
  let id: string | undefined;
  if (spanId !== undefined && spanId !== null) {
    id = toSpanId(spanId);
    if (id === undefined) return { error: `"spanId" is ${describe(spanId)}, not an unsigned integer` };
  }
  const kept = keep === undefined || raw === undefined ? count : Math.min(count, keep(type, id, raw as Record<string, unknown>));
  let data: EventData;
  if (raw === undefined) data = {};
  else if (plain && kept === count) data = raw as EventData;
  else data = copyData(raw as Record<string, unknown>, kept);

  const out: IncomingEvent = { type, data };
  if (createdAt !== undefined) out.createdAt = createdAt;
  if (id !== undefined) {
    out.spanId = id;
    // Keys folded away after it cannot come before it.
    if (spanAt !== undefined) out.spanAt = Math.min(spanAt, kept);
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

/** The first `n` keys of already validated `raw` (without `spanId`), nested values converted. */
function copyData(raw: Record<string, unknown>, n: number): EventData {
  const out: EventData = {};
  if (n === 0) return out;
  let i = 0;
  for (const key in raw) {
    if (key === 'spanId') continue;
    const v = raw[key];
    out[key] = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : (toValue(v) as Value);
    if (++i === n) break;
  }
  return out;
}

/**
 * Parses one JSON text (an NDJSON line, a webhook POST body) holding a single event, a webhook
 * body `{"events":[...]}` or an array of events (a live-trace `data:` payload). Integers too
 * large for a JS number are kept as decimal strings, so u64 span ids survive exactly.
 */
export function parseEventsJson(text: string, keep?: KeepKeys): ParsedEvents {
  const result: ParsedEvents = { events: [], errors: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The rewrite can make a text valid (a quoted leading-zero run): read it as before.
    let safe: unknown;
    try {
      safe = JSON.parse(protectBigIntegers(text));
    } catch (e) {
      result.errors.push(`invalid JSON: ${clip(jsonError(e, text), 120)}`);
      return result;
    }
    parseEventsInto(safe, keep, result);
    return result;
  }
  parseParsedInto(text, value, keep, result);
  return result;
}

/**
 * The events of `value`, which is `JSON.parse(text)` of the text as it is, into `result`: what
 * `parseEventsValue(JSON.parse(protectBigIntegers(text)))` gives, without rewriting the text in
 * the common case, one event whose big integers are in its `data` (or its `spanId`): those are
 * put back from the text. Other shapes holding a big integer, and rejected events (for the same
 * message), are read again from the rewritten text.
 */
export function parseParsedInto(text: string, value: unknown, keep: KeepKeys | undefined, result: ParsedEvents): void {
  if (isPlainObject(value) && value.type !== undefined) {
    const ev = buildEvent(value, keep, text);
    if (ev !== undefined && !('error' in ev)) {
      result.events.push(ev);
      return;
    }
  } else if (longRunEnd(text, 0) === -1) {
    parseEventsInto(value, keep, result);
    return;
  }
  parseEventsInto(JSON.parse(protectBigIntegers(text)), keep, result);
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The exact digits of the integer token `v` was parsed from, the value of a key `key` in `text`;
 * undefined when that is not certain. The text must have no backslash: then every key is spelled
 * as it reads and no `"` is inside a string, so the places `"key":` occurs are all the keys so
 * named. Each of their values that is an integer rounding to `v` must be the same digits, and
 * none may be written as a fraction or exponent (which could be the one `v` came from).
 */
export function exactInteger(text: string, key: string, v: number): string | undefined {
  const n = key.length;
  if (n === 0 || text.indexOf('\\') !== -1) return undefined;
  let found: string | undefined;
  let several = false;
  for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + n)) {
    const token = integerAfterKey(text, i, n);
    if (token === undefined) continue;
    if (token === '') return undefined;
    if (found === undefined) found = token;
    else if (token !== found) several = true;
  }
  // One integer under the key is where `v` came from; of several, the ones rounding to it must agree.
  return several ? exactAmong(text, key, v) : found;
}

function exactAmong(text: string, key: string, v: number): string | undefined {
  let found: string | undefined;
  for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + key.length)) {
    const token = integerAfterKey(text, i, key.length);
    if (token === undefined || Number(token) !== v) continue;
    if (found !== undefined && found !== token) return undefined;
    found = token;
  }
  return found;
}

/**
 * At `text[i]`, a key name of `n` characters: its integer value's token; undefined when this is
 * no key or its value no number, '' when the number has a fraction or exponent.
 */
function integerAfterKey(text: string, i: number, n: number): string | undefined {
  if (text.charCodeAt(i - 1) !== 34 || text.charCodeAt(i + n) !== 34) return undefined;
  let s = i + n + 1;
  while (isBlank(text.charCodeAt(s))) s++;
  if (text.charCodeAt(s) !== 58 /* : */) return undefined; // a string that reads like the key
  s++;
  while (isBlank(text.charCodeAt(s))) s++;
  let e = text.charCodeAt(s) === 45 /* - */ ? s + 1 : s;
  const digits = e;
  while (isDigit(text.charCodeAt(e))) e++;
  if (e === digits) return undefined;
  return isIntegerToken(text, s, e) ? ownCopy(text, s, e) : '';
}

/**
 * `text.slice(s, e)` as a string of its own. V8 makes a slice of 13 characters or more share its
 * parent's characters, so a span id cut from a line would keep the line, and the 1 MiB chunk of
 * the file the line was cut from, alive for as long as a span folder keeps the id (a span that
 * never ends: 64 such spans held 64 MiB). Pieces under 13 characters are copies.
 */
function ownCopy(text: string, s: number, e: number): string {
  let out = '';
  for (; e - s >= 13; s += 12) out += text.slice(s, s + 12);
  return out + text.slice(s, e);
}

/** True when an array or nested event holds a number that may have lost digits. */
function lostDigits(v: unknown): boolean {
  if (typeof v === 'number') return v > MAX_SAFE || v < -MAX_SAFE;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(lostDigits);
  for (const k in v) if (lostDigits((v as Record<string, unknown>)[k])) return true;
  return false;
}

export function parseEventsValue(value: unknown, keep?: KeepKeys): ParsedEvents {
  const result: ParsedEvents = { events: [], errors: [] };
  parseEventsInto(value, keep, result);
  return result;
}

/** `parseEventsValue` appending to `result` (a replay reuses one per line). */
export function parseEventsInto(value: unknown, keep: KeepKeys | undefined, result: ParsedEvents): void {
  if (Array.isArray(value)) {
    collect(value, '', result, keep);
  } else if (isPlainObject(value) && value.type === undefined && 'events' in value) {
    if (!Array.isArray(value.events)) result.errors.push(`"events" is ${describe(value.events)}, not an array`);
    else collect(value.events, 'events', result, keep);
  } else {
    const ev = parseEventObject(value, keep);
    if ('error' in ev) result.errors.push(ev.error);
    else result.events.push(ev);
  }
}

function collect(items: unknown[], prefix: string, into: ParsedEvents, keep: KeepKeys | undefined): void {
  for (let i = 0; i < items.length; i++) {
    const ev = parseEventObject(items[i], keep);
    if ('error' in ev) into.errors.push(`${prefix}[${i}]: ${ev.error}`);
    else into.events.push(ev);
  }
}

/**
 * Quotes integer literals beyond Number.MAX_SAFE_INTEGER so JSON.parse keeps every digit.
 * Only a run of 16+ digits can exceed 2^53, and `longRunEnd` finds one by probing every 16th
 * character, so a line without one (most lines without a span id) costs a few dozen reads.
 * A run found is checked: inside a string (quotes before it counted with indexOf hops), part of
 * a float (`.`/`e` next to it) or a safe integer, it stays as it is. Text that is not valid JSON
 * comes back unchanged when a string is left open before a run, for JSON.parse to report.
 */
export function protectBigIntegers(text: string): string {
  let end = longRunEnd(text, 0);
  if (end === -1) return text;
  let out = '';
  let last = 0;
  let scanned = 0; // quotes before `scanned` have been counted
  let inString = false;
  for (; end !== -1; end = longRunEnd(text, end)) {
    let start = end - 16;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    if (afterKey(text, start)) {
      inString = false;
    } else {
      for (let q = text.indexOf('"', scanned); q !== -1 && q < start; q = text.indexOf('"', q + 1)) {
        if (!inString || !isEscaped(text, q)) inString = !inString;
      }
      if (inString) {
        scanned = start;
        continue;
      }
    }
    scanned = end;
    if (text.charCodeAt(start - 1) === 45 /* - */) start--;
    if (!isIntegerToken(text, start, end)) continue;
    const token = text.slice(start, end);
    // 17 digits or more are always beyond 2^53 (JSON allows no leading zero).
    if (end - start <= 17 && Number.isSafeInteger(Number(token))) continue;
    out += text.slice(last, start) + '"' + token + '"';
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * End (exclusive) of the first run of at least 16 digits starting at or after `from`, or -1.
 * A run of 16 covers one of every 16 positions: probe those, and at a digit look back.
 */
function longRunEnd(text: string, from: number): number {
  const n = text.length;
  let i = from + 15;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i += 16;
      continue;
    }
    let j = i - 1;
    while (j >= from && j > i - 16 && isDigit(text.charCodeAt(j))) j--;
    if (j === i - 16 || (j < from && i - from >= 15)) {
      // text[j+1..i] are 16 digits (or the run reaches back before `from`): extend to its end.
      let end = i + 1;
      while (end < n && isDigit(text.charCodeAt(end))) end++;
      return end;
    }
    i = j + 16;
  }
  return -1;
}

/**
 * True when `text[start]` directly follows `"…":` (blanks allowed around the colon) whose quote
 * closes a string: it is not escaped and the character before it is neither blank nor one of
 * `{[,:` (in JSON only those come before an opening quote). A string closed right before a colon
 * is a key, so the run is a value, outside any string: the quotes before it need no counting.
 * This holds whenever the text up to the run is valid JSON; when it is not, JSON.parse fails
 * before the run whatever is rewritten after it.
 */
function afterKey(text: string, start: number): boolean {
  let i = start - 1;
  while (isBlank(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== 58 /* : */) return false;
  i--;
  while (isBlank(text.charCodeAt(i))) i--;
  if (i < 1 || text.charCodeAt(i) !== 34) return false;
  const c = text.charCodeAt(i - 1);
  return !(c === 92 /* \ */ || c === 123 || c === 91 || c === 44 || c === 58 || isBlank(c));
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The digits at [start, end) are a whole integer token: no fraction or exponent touches them. */
function isIntegerToken(text: string, start: number, end: number): boolean {
  const after = text.charCodeAt(end);
  if (after === 46 || after === 101 || after === 69) return false; // . e E
  const before = text.charCodeAt(start - 1);
  // A float's fraction or exponent (1.2…, 1e-…, 1e+…) is part of a longer number token.
  return !(before === 46 || before === 101 || before === 69 || before === 43 || before === 45 || isDigit(before));
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

/** 1 to 20 ASCII digits (what /^\d{1,20}$/ accepts, without a regular expression per span id). */
function isDigits(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 20) return false;
  for (let i = 0; i < n; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}
const U64_MAX = 18446744073709551615n;
/** 2^64 - 1 in decimal: a 20-digit span id above it (compared as text) is not a u64. */
export const U64_MAX_TEXT = '18446744073709551615';

export function toSpanId(v: unknown): string | undefined {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 18446744073709551615) return undefined;
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  if (typeof v === 'string' && isDigits(v)) {
    if (v.length === 1 || v.charCodeAt(0) !== 48) {
      // No leading zero: already canonical; 20 digits may still be above u64.
      if (v.length < 20) return v;
      return v <= U64_MAX_TEXT ? v : undefined;
    }
    const n = BigInt(v);
    return n <= U64_MAX ? n.toString() : undefined;
  }
  return undefined;
}

/** JSON.parse's message, about the text as given (not as protectBigIntegers rewrote it). */
function jsonError(e: unknown, original: string): string {
  try {
    JSON.parse(original);
  } catch (again) {
    return (again as Error).message;
  }
  return (e as Error).message;
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
