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

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error'];
const LEVEL_PLAIN: Record<string, string> = {};
const LEVEL_ANSI: Record<string, string> = {};
for (const l of LEVELS) {
  LEVEL_PLAIN[l] = l.toUpperCase();
  LEVEL_ANSI[l] = LEVEL_COLOR_BOLD[l] + l.toUpperCase() + RESET;
}

const TABS: string[] = [];
for (let i = 0; i < 16; i++) TABS.push('\t'.repeat(i));
function tabs(n: number): string {
  return n < TABS.length ? TABS[n]! : '\t'.repeat(n);
}

const headerStamps = new SecondCache();

export function formatLine(ev: TelemetryEvent, opts: TextOptions): string {
  const ansi = opts.ansi;
  const ts = headerStamps.get(Math.floor(ev.createdAt / 1000));
  const level = ev.level;
  let out: string;
  if (ansi) {
    const lv = LEVEL_ANSI[level] ?? String(level).toUpperCase();
    out = WHITE + ts + RESET + ' ' + lv + ' ' + WHITE_BOLD + ev.text + RESET + ' (' + ev.type;
  } else {
    out = ts + ' ' + (LEVEL_PLAIN[level] ?? String(level).toUpperCase()) + ' ' + ev.text + ' (' + ev.type;
  }
  if (opts.multiline) {
    out += ')\n';
    if (ev.span !== undefined) out += multiKeys(ev.span, 1, ansi);
    return out + multiKeys(ev.data, 1, ansi);
  }
  let keys = ev.span !== undefined ? singleKeys(ev.span, ansi, '') : '';
  keys = singleKeys(ev.data, ansi, keys);
  return out + ') ' + keys + '\n';
}

/** Appends `k = v` pairs to `acc`, separated by `, ` (also from what `acc` already holds). */
function singleKeys(data: EventData, ansi: boolean, acc: string): string {
  for (const k in data) {
    if (k === 'spanId') continue;
    if (acc !== '') acc += ', ';
    acc += (ansi ? CYAN + k + RESET : k) + ' = ' + value(data[k]!, KEY_KINDS[k], 1, ansi, false);
  }
  return acc;
}

function multiKeys(data: EventData, indent: number, ansi: boolean): string {
  const pad = tabs(indent);
  let acc = '';
  for (const k in data) {
    if (k === 'spanId') continue;
    const v = data[k]!;
    acc += pad + (ansi ? CYAN + k + RESET : k) + ' = ' + value(v, KEY_KINDS[k], indent, ansi, true);
    // A nested event ends its own lines.
    if (!(typeof v === 'object' && v !== null && isNestedEvent(v))) acc += '\n';
  }
  return acc;
}

function value(v: Value, kind: KeyKind | undefined, indent: number, ansi: boolean, ml: boolean): string {
  switch (typeof v) {
    case 'string':
      // Only a real RFC3339 string under a time-like key was a timestamp in Stalwart.
      return kind === 'ip' || (kind === 'timestamp' && !Number.isNaN(parseRfc3339(v))) ? v : quote(v);
    case 'number':
      return kind === 'duration' ? v + 'ms' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return '(null)';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ', ';
          s += value(v[i]!, kind, indent, ansi, ml);
        }
        return s + ']';
      }
      if (isNestedEvent(v)) return nested(v, indent, ansi, ml);
      return quote(safeJson(v));
    }
    case 'bigint':
      return String(v);
    default:
      return '(null)';
  }
}

/** `<description> (<name>) { k = v, ... }`, or in multiline `<description> (<name>)\n` + keys. */
function nested(e: NestedEvent, indent: number, ansi: boolean, ml: boolean): string {
  const head = (eventInfo(e.type)?.description ?? e.type) + ' (' + e.type + ')';
  const data = typeof e.data === 'object' && e.data !== null ? e.data : {};
  if (!hasKeys(data)) return ml ? head + '\n' : head;
  if (ml) return head + '\n' + multiKeys(data, indent + 1, ansi);
  return head + ' { ' + singleKeys(data, ansi, '') + ' }';
}

function hasKeys(data: EventData): boolean {
  for (const _ in data) return true;
  return false;
}

/** Double-quotes `s`, escaping only `\r`, `\n`, `\t` and `\\` (Stalwart v0.15). */
export function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) return '"' + escapeFrom(s, i) + '"';
  }
  return '"' + s + '"';
}

function escapeFrom(s: string, start: number): string {
  let out = s.slice(0, start);
  let clean = start;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const esc = c === 92 ? '\\\\' : c === 10 ? '\\n' : c === 13 ? '\\r' : c === 9 ? '\\t' : '';
    if (esc !== '') {
      out += s.slice(clean, i) + esc;
      clean = i + 1;
    }
  }
  return out + s.slice(clean);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}
