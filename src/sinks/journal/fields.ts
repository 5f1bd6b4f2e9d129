/**
 * One journald entry per event, in journald's native protocol, as Stalwart v0.15.5's journal
 * tracer writes it (crates/common/src/telemetry/tracers/journald.rs):
 *
 *   PRIORITY          error 3, warn 4, info 5, debug 6, trace 7 (one ASCII digit)
 *   SYSLOG_IDENTIFIER `identifier` (mailtel default `stalwart`; Stalwart: its executable's name)
 *   MESSAGE           the event's description
 *   <KEY>             one per own key of the event, first occurrence, the key name upper-cased
 *                     with nothing inserted (`remoteIp` → `REMOTEIP`); span keys are not added
 *
 * Every field, PRIORITY included (Stalwart writes it the same way), is in the protocol's
 * binary-safe form: `NAME\n`, the value's length as a little-endian u64, the value, `\n`. So
 * multi-line values arrive intact.
 *
 * Values are Stalwart's plain display form (its `Display for Value`), which is not the log
 * line's: strings unquoted, durations bare milliseconds, timestamps unix seconds, bytes bare
 * base64 (they arrive as base64 strings), lists `[a, b]`, a missing value `(null)`, a nested
 * event `{<description> (<name>): key = value, ...}`.
 *
 * `spanId` is one of Stalwart's own keys: it is written (as SPANID) last on span start events
 * and first on every other event, the position Stalwart gives it.
 */
import { eventInfo, SPAN_START_TO_END } from '../../catalogue/index.js';
import { KEY_KINDS, type KeyKind } from '../../catalogue/keys.js';
import type { Level } from '../../catalogue/types.js';
import { parseRfc3339 } from '../../format/json-time.js';
import { isNestedEvent, type EventData, type NestedEvent, type TelemetryEvent, type Value } from '../../runtime/event.js';

export const PRIORITY: Readonly<Record<Level, string>> = { error: '3', warn: '4', info: '5', debug: '6', trace: '7' };

/** Journald's rule for a field name an application may set: A-Z, 0-9, `_`, not first `_` or digit, ≤ 64. */
const VALID_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

export interface EncodeStats {
  /** Key names journald would have dropped silently, written under a repaired name instead. */
  renamedFields: number;
}

/** The event as one native-protocol payload. */
export function encodeEntry(ev: TelemetryEvent, identifier: string, stats?: EncodeStats): Buffer {
  const names: string[] = ['PRIORITY', 'SYSLOG_IDENTIFIER', 'MESSAGE'];
  const values: string[] = [PRIORITY[ev.level] ?? '7', identifier, ev.text];
  const seen = new Set<string>();
  const spanLast = ev.spanId !== undefined && Object.hasOwn(SPAN_START_TO_END, ev.type);
  if (ev.spanId !== undefined && !spanLast) add('spanId', ev.spanId);
  const data = ev.data;
  for (const key in data) add(key, data[key]!);
  if (ev.spanId !== undefined && spanLast) add('spanId', ev.spanId);
  return pack(names, values);

  function add(key: string, v: Value): void {
    if (seen.has(key)) return;
    seen.add(key);
    let name = key.toUpperCase();
    if (!VALID_NAME.test(name)) {
      name = repairName(name);
      if (stats) stats.renamedFields++;
    }
    names.push(name);
    values.push(key === 'spanId' ? String(v) : displayValue(v, KEY_KINDS[key]));
  }
}

/** Lays out `NAME\n<u64 le length><value>\n` for each field in one buffer. */
function pack(names: readonly string[], values: readonly string[]): Buffer {
  let size = 0;
  const lengths: number[] = new Array(values.length);
  for (let i = 0; i < names.length; i++) {
    const n = Buffer.byteLength(values[i]!, 'utf8');
    lengths[i] = n;
    size += names[i]!.length + 1 + 8 + n + 1;
  }
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  for (let i = 0; i < names.length; i++) {
    off += buf.write(names[i]!, off, 'latin1');
    buf[off++] = 10;
    const n = lengths[i]!;
    buf.writeUInt32LE(n >>> 0, off);
    buf.writeUInt32LE(Math.floor(n / 2 ** 32), off + 4);
    off += 8;
    off += buf.write(values[i]!, off, 'utf8');
    buf[off++] = 10;
  }
  return buf;
}

/**
 * A name journald would refuse (it drops such a field without a word): every byte outside
 * A-Z 0-9 `_` becomes `_`, a leading `_` or digit gets an `X` in front, then cut to 64. Stalwart's
 * own key names never need this; names from replayed or foreign events can.
 */
export function repairName(name: string): string {
  let out = name.replace(/[^A-Z0-9_]/g, '_');
  if (!/^[A-Z]/.test(out)) out = 'X' + out;
  return out.slice(0, 64);
}

/** Stalwart's plain `Display` of a value; `kind` comes from the key (catalogue KEY_KINDS). */
export function displayValue(v: Value, kind: KeyKind | undefined): string {
  switch (typeof v) {
    case 'string':
      if (kind === 'timestamp') {
        const ms = parseRfc3339(v);
        return Number.isNaN(ms) ? v : String(Math.floor(ms / 1000));
      }
      return v;
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return '(null)';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ', ';
          s += displayValue(v[i]!, kind);
        }
        return s + ']';
      }
      if (isNestedEvent(v)) return '{' + nested(v) + '}';
      return safeJson(v);
    }
    default:
      return '(null)';
  }
}

/** Stalwart's `Display for Error`: `<description> (<name>)`, then `: k = v, ...` when it has keys. */
function nested(e: NestedEvent): string {
  let s = (eventInfo(e.type)?.description ?? e.type) + ' (' + e.type + ')';
  const data: EventData = typeof e.data === 'object' && e.data !== null ? e.data : {};
  let first = true;
  for (const k in data) {
    s += (first ? ': ' : ', ') + k + ' = ' + displayValue(data[k]!, KEY_KINDS[k]);
    first = false;
  }
  return s;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '(null)';
  } catch {
    return String(v);
  }
}
