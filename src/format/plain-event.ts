import { exactInteger, toSpanId, U64_MAX_TEXT } from './json-parse.js';
import { parseRfc3339 } from './json-time.js';

/** The fields of a plain event (readPlainEvent), in arrays reused from event to event. */
export interface PlainEvent {
  type: string;
  createdAt: number | undefined;
  spanId: string | undefined;
  /** Where `spanId` stood among the keys of `data`, when it was there. */
  spanAt: number | undefined;
  /** The parsed `data` as it is (with `spanId`), or undefined when there was none. */
  data: Record<string, unknown> | undefined;
  /** The keys of `data` without `spanId`, and their values: the first `n` are this event's. */
  keys: string[];
  vals: unknown[];
  n: number;
}

export function plainEvent(): PlainEvent {
  return { type: '', createdAt: undefined, spanId: undefined, spanAt: undefined, data: undefined, keys: [], vals: [], n: 0 };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Reads `value`, `JSON.parse(text)` of one NDJSON line, into `out` when it is the shape almost
 * every line of a webhook capture has: an object with a non-empty string `type`, a valid RFC3339
 * `createdAt` or none, a `data` object (or none) whose values are strings, numbers within 2^53,
 * booleans and nulls, or lists of those (recipients), plus at most a `spanId` among them (a
 * u64, its digits taken from the text when it is beyond 2^53), and no `text`, `level`,
 * `source`, `ownKeys` or top-level `spanId`.
 * Then the fields are those json-parse.ts's parseParsedInto gives the event (before any span
 * keys are folded), and no event object is built: the replay thread writes them straight into
 * its columns (replay-read.ts). Anything else gives false, with `out` to be ignored, and the
 * line is read the general way; nothing here has side effects but on `out`.
 */
export function readPlainEvent(value: unknown, text: string, out: PlainEvent): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  const type = obj.type;
  if (typeof type !== 'string' || type === '') return false;
  if (obj.text !== undefined || obj.level !== undefined || obj.source !== undefined || obj.ownKeys !== undefined || obj.spanId !== undefined) return false;
  const created = obj.createdAt;
  let createdAt: number | undefined;
  if (created !== undefined) {
    if (typeof created !== 'string') return false;
    createdAt = parseRfc3339(created);
    if (Number.isNaN(createdAt)) return false;
  }
  const raw = obj.data;
  let spanId: unknown;
  let spanAt: number | undefined;
  let exact: string | undefined;
  let n = 0;
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
    const data = raw as Record<string, unknown>;
    const { keys, vals } = out;
    for (const key in data) {
      const v = data[key];
      if (key === 'spanId') {
        spanId = v;
        if (typeof v === 'number' && v > MAX_SAFE) {
          // The digits of a JSON number beyond 2^53: no sign, no leading zero; 20 may pass 2^64.
          const digits = exactInteger(text, key, v);
          if (digits === undefined) return false;
          spanId = digits;
          // 20 digits starting 10 to 17 are below 2^64 (18446744073709551615) at a glance.
          if (digits.length < 20 || (digits.charCodeAt(0) === 49 && digits.charCodeAt(1) < 56) || digits <= U64_MAX_TEXT) exact = digits;
        }
        spanAt = n;
        continue;
      }
      if (key === '__proto__') return false;
      if (!isPlainValue(v) && !(Array.isArray(v) && v.every(isPlainValue))) return false;
      keys[n] = key;
      vals[n++] = v;
    }
  }
  let id: string | undefined;
  if (spanId !== undefined) {
    id = exact ?? toSpanId(spanId);
    if (id === undefined) return false;
  }
  out.type = type;
  out.createdAt = createdAt;
  out.spanId = id;
  out.spanAt = spanAt;
  out.data = raw as Record<string, unknown> | undefined;
  out.n = n;
  return true;
}

/** A string, a number within 2^53 (no digits lost), a boolean or null. */
function isPlainValue(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'number' ? v <= MAX_SAFE && v >= -MAX_SAFE : v === null || typeof v === 'boolean');
}
