/**
 * The docs/stalwart.md §7 text log line, shared by the log file and console sinks:
 *
 *   `<RFC3339> <LEVEL> <description> (<event-name>) <key> = <value>, ...\n`
 *
 * Follows Stalwart v0.15.5's text writer (crates/trc/src/serializers/text.rs at that release):
 * - the parent span's keys come first, then the event's own; `spanId` is never printed and
 *   duplicates are kept;
 * - strings are double-quoted and only `\r`, `\n`, `\t` and `\\` are escaped. A `"` inside a
 *   string is written as is (so `a"b` prints `"a"b"`), like Stalwart v0.15; later Stalwart
 *   versions also escape `"` and control bytes, v0.15 does not;
 * - JSON carries IPs and RFC3339 timestamps as strings and durations as integer ms, so the key
 *   decides (catalogue KEY_KINDS): a string under an ip key, or an RFC3339 string under a
 *   timestamp key, prints bare (any other string is quoted), a number
 *   under a duration key prints `<n>ms`. A number under a time-like key (`expires`, `due`...)
 *   is a number and prints bare: Stalwart's JSON always writes a real timestamp as an RFC3339
 *   string, so a number there was a number in Stalwart too (`purge.blob-cleanup` with
 *   `expires = 3`). Byte blobs arrive as base64 strings and are indistinguishable from
 *   text, so they print quoted rather than as `base64:...`;
 * - a single-line event without printable keys ends `(<name>) \n`, trailing space included,
 *   byte for byte as Stalwart writes it.
 * Multiline: the header ends with `)\n`, then one `key = value\n` per line, indented one tab per
 * nesting level (a nested event's keys one level deeper). Bad values never throw.
 *
 * The line is written as UTF-8 bytes straight into a `LineBuffer` (the log sink keeps one per
 * file and writes a whole batch from it): no string is built per event. `formatLine` gives the
 * same bytes as a string.
 */
import { eventInfo } from '../catalogue/index.js';
import { KEY_KINDS, type KeyKind } from '../catalogue/keys.js';
import type { Level } from '../catalogue/types.js';
import { isNestedEvent, type EventData, type NestedEvent, type TelemetryEvent, type Value } from '../runtime/event.js';
import { CYAN, LEVEL_COLOR_BOLD, RESET, WHITE, WHITE_BOLD } from './ansi.js';
import { parseRfc3339 } from './json-time.js';
import { SecondCache } from './time.js';

export interface TextOptions {
  ansi: boolean;
  multiline: boolean;
}

/** A growable byte buffer lines are written into as UTF-8; `reset` makes it empty again. */
export class LineBuffer {
  bytes: Buffer;
  length = 0;

  constructor(size = 1 << 16) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  reset(): void {
    this.length = 0;
  }

  toString(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }

  /** Room for `n` more bytes. */
  room(n: number): Buffer {
    if (this.length + n > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
      this.bytes.copy(next, 0, 0, this.length);
      this.bytes = next;
    }
    return this.bytes;
  }

  byte(c: number): void {
    this.room(1)[this.length++] = c;
  }

  /** Bytes already encoded. */
  raw(src: Uint8Array): void {
    const n = src.length;
    const b = this.room(n);
    let o = this.length;
    // A native copy pays past a few dozen bytes.
    if (n > 32) {
      b.set(src, o);
      o += n;
    } else for (let i = 0; i < n; i++) b[o++] = src[i]!;
    this.length = o;
  }

  /** `s` as UTF-8 (a lone surrogate becomes U+FFFD, as Buffer.from does). */
  str(s: string): void {
    const n = s.length;
    const b = this.room(n * 3);
    let o = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[o++] = c;
      else o = utf8(s, i, c, b, o, (i = surrogateEnd(s, i, c)));
    }
    this.length = o;
  }

  /** `s` double-quoted, only `\r`, `\n`, `\t` and `\\` escaped (Stalwart v0.15). */
  quoted(s: string): void {
    const n = s.length;
    const b = this.room(n * 3 + 2);
    let o = this.length;
    b[o++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === 92 || c === 10 || c === 13 || c === 9) {
          // room: each escape is 2 bytes for 1 char of the 3 reserved
          b[o++] = 92;
          b[o++] = c === 92 ? 92 : c === 10 ? 110 : c === 13 ? 114 : 116;
        } else b[o++] = c;
      } else o = utf8(s, i, c, b, o, (i = surrogateEnd(s, i, c)));
    }
    b[o++] = 34;
    this.length = o;
  }

  /** A number as `String(v)` writes it (integers up to 2^31 digit by digit). */
  num(v: number): void {
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) {
      const b = this.room(10);
      let end = this.length + 1;
      for (let t = v; t >= 10; t = (t / 10) | 0) end++;
      this.length = end;
      let t = v;
      do {
        b[--end] = 48 + (t % 10);
        t = (t / 10) | 0;
      } while (t > 0);
    } else this.str(String(v));
  }
}

/** Index of the last UTF-16 unit of the character starting at `i` (a valid pair spans two). */
function surrogateEnd(s: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return i + 1;
  }
  return i;
}

/** Writes the non-ASCII character at `i` (ending at `last`) as UTF-8 at `o`; the new offset. */
function utf8(s: string, i: number, c: number, b: Buffer, o: number, last: number): number {
  if (c < 0x800) {
    b[o++] = 0xc0 | (c >> 6);
    b[o++] = 0x80 | (c & 63);
  } else if (last > i) {
    const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(last) - 0xdc00);
    b[o++] = 0xf0 | (cp >> 18);
    b[o++] = 0x80 | ((cp >> 12) & 63);
    b[o++] = 0x80 | ((cp >> 6) & 63);
    b[o++] = 0x80 | (cp & 63);
  } else {
    // A lone surrogate is U+FFFD.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    b[o++] = 0xe0 | (c >> 12);
    b[o++] = 0x80 | ((c >> 6) & 63);
    b[o++] = 0x80 | (c & 63);
  }
  return o;
}

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error'];
const LEVEL_PLAIN: Record<string, string> = {};
const LEVEL_ANSI: Record<string, string> = {};
for (const l of LEVELS) {
  LEVEL_PLAIN[l] = l.toUpperCase();
  LEVEL_ANSI[l] = LEVEL_COLOR_BOLD[l] + l.toUpperCase() + RESET;
}

/** The line's timestamp as bytes, for the last second written (lines come in time order). */
let stampSecond = NaN;
let stampBytes: Uint8Array = new Uint8Array(0);
const headerStamps = new SecondCache();

function stamp(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  if (sec !== stampSecond) {
    stampSecond = sec;
    stampBytes = Buffer.from(headerStamps.get(sec), 'latin1');
  }
  return stampBytes;
}

const scratch = new LineBuffer(4096);

/** The line as a string (the same bytes `writeLine` writes). */
export function formatLine(ev: TelemetryEvent, opts: TextOptions): string {
  scratch.reset();
  writeLine(ev, opts, scratch);
  return scratch.toString();
}

/** Encoded ` <LEVEL> <description> (<name>` per event name, for the level and text it was made with. */
interface Header {
  level: string;
  text: string;
  bytes: Buffer;
}
const MAX_CACHED = 4096;
const headers = [new Map<string, Header>(), new Map<string, Header>()];

function header(ev: TelemetryEvent, ansi: boolean): Buffer {
  const cache = headers[ansi ? 1 : 0]!;
  const h = cache.get(ev.type);
  if (h !== undefined && h.level === ev.level && h.text === ev.text) return h.bytes;
  const level = ev.level;
  const text = ansi
    ? ' ' + (LEVEL_ANSI[level] ?? String(level).toUpperCase()) + ' ' + WHITE_BOLD + ev.text + RESET + ' (' + ev.type
    : ' ' + (LEVEL_PLAIN[level] ?? String(level).toUpperCase()) + ' ' + ev.text + ' (' + ev.type;
  const bytes = Buffer.from(text, 'utf8');
  if (h !== undefined || cache.size < MAX_CACHED) cache.set(ev.type, { level, text: ev.text, bytes });
  return bytes;
}

/** Per key name: `<key> = ` encoded (the key cyan with ANSI), the same after `, `, and its kind. */
interface KeyEntry {
  bytes: Buffer;
  next: Buffer;
  kind: KeyKind | undefined;
}
const keyEntries = [new Map<string, KeyEntry>(), new Map<string, KeyEntry>()];

function keyEntry(k: string, ansi: boolean): KeyEntry {
  const cache = keyEntries[ansi ? 1 : 0]!;
  let e = cache.get(k);
  if (e === undefined) {
    const text = (ansi ? CYAN + k + RESET : k) + ' = ';
    e = { bytes: Buffer.from(text, 'utf8'), next: Buffer.from(', ' + text, 'utf8'), kind: Object.hasOwn(KEY_KINDS, k) ? KEY_KINDS[k] : undefined };
    if (cache.size < MAX_CACHED) cache.set(k, e);
  }
  return e;
}

/** Appends the event's line to `out`. */
export function writeLine(ev: TelemetryEvent, opts: TextOptions, out: LineBuffer): void {
  const ansi = opts.ansi;
  if (ansi) {
    out.str(WHITE);
    out.raw(stamp(ev.createdAt));
    out.str(RESET);
  } else out.raw(stamp(ev.createdAt));
  out.raw(header(ev, ansi));
  if (opts.multiline) {
    out.byte(41);
    out.byte(10);
    if (ev.span !== undefined) multiKeys(ev.span, 1, ansi, out);
    multiKeys(ev.data, 1, ansi, out);
    return;
  }
  out.byte(41);
  out.byte(32);
  const first = ev.span !== undefined ? spanKeys(ev.span, ansi, out) : true;
  singleKeys(ev.data, ansi, first, out);
  out.byte(10);
}

/**
 * The parent span's `k = v` pairs as bytes, per span object: every event of a span prints the
 * same ones, so they are written once (span data is never changed once an event carries it).
 */
const spanBytes = [new WeakMap<EventData, Uint8Array>(), new WeakMap<EventData, Uint8Array>()];

/** `singleKeys(span, ansi, true, out)`, from the span's cached bytes. */
function spanKeys(span: EventData, ansi: boolean, out: LineBuffer): boolean {
  const cache = spanBytes[ansi ? 1 : 0]!;
  let b = cache.get(span);
  if (b === undefined) {
    const start = out.length;
    singleKeys(span, ansi, true, out);
    b = Buffer.from(out.bytes.subarray(start, out.length)); // a copy: the buffer is reused
    cache.set(span, b);
  } else out.raw(b);
  return b.length === 0;
}

/** Writes `k = v` pairs separated by `, ` (also before the first when `first` is false); still first. */
function singleKeys(data: EventData, ansi: boolean, first: boolean, out: LineBuffer): boolean {
  for (const k in data) {
    if (k === 'spanId') continue;
    const e = keyEntry(k, ansi);
    out.raw(first ? e.bytes : e.next);
    first = false;
    value(data[k]!, e.kind, 1, ansi, false, out);
  }
  return first;
}

function multiKeys(data: EventData, indent: number, ansi: boolean, out: LineBuffer): void {
  for (const k in data) {
    if (k === 'spanId') continue;
    const v = data[k]!;
    for (let i = 0; i < indent; i++) out.byte(9);
    const e = keyEntry(k, ansi);
    out.raw(e.bytes);
    value(v, e.kind, indent, ansi, true, out);
    // A nested event ends its own lines.
    if (!(typeof v === 'object' && v !== null && isNestedEvent(v))) out.byte(10);
  }
}

function value(v: Value, kind: KeyKind | undefined, indent: number, ansi: boolean, ml: boolean, out: LineBuffer): void {
  switch (typeof v) {
    case 'string':
      // Only a real RFC3339 string under a time-like key was a timestamp in Stalwart.
      if (kind === 'ip' || (kind === 'timestamp' && !Number.isNaN(parseRfc3339(v)))) out.str(v);
      else out.quoted(v);
      return;
    case 'number':
      out.num(v);
      if (kind === 'duration') {
        out.byte(109);
        out.byte(115);
      }
      return;
    case 'boolean':
      out.str(v ? 'true' : 'false');
      return;
    case 'object': {
      if (v === null) return out.str('(null)');
      if (Array.isArray(v)) {
        out.byte(91);
        for (let i = 0; i < v.length; i++) {
          if (i > 0) {
            out.byte(44);
            out.byte(32);
          }
          value(v[i]!, kind, indent, ansi, ml, out);
        }
        out.byte(93);
        return;
      }
      if (isNestedEvent(v)) return nested(v, indent, ansi, ml, out);
      return out.quoted(safeJson(v));
    }
    case 'bigint':
      return out.str(String(v));
    default:
      return out.str('(null)');
  }
}

/** `<description> (<name>) { k = v, ... }`, or in multiline `<description> (<name>)\n` + keys. */
function nested(e: NestedEvent, indent: number, ansi: boolean, ml: boolean, out: LineBuffer): void {
  out.str(eventInfo(e.type)?.description ?? e.type);
  out.str(' (');
  out.str(e.type);
  out.byte(41);
  const data = typeof e.data === 'object' && e.data !== null ? e.data : {};
  if (!hasKeys(data)) {
    if (ml) out.byte(10);
    return;
  }
  if (ml) {
    out.byte(10);
    multiKeys(data, indent + 1, ansi, out);
    return;
  }
  out.str(' { ');
  singleKeys(data, ansi, true, out);
  out.str(' }');
}

function hasKeys(data: EventData): boolean {
  for (const _ in data) return true;
  return false;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}
