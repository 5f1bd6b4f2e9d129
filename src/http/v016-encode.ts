/**
 * One element of a v0.16 live `trace` frame as Stalwart v0.16 writes it (docs/stalwart.md §4,
 * "v0.16 payloads"): the registry's `TraceEvent`, serialised by serde,
 *
 *   {"event":"<type>","timestamp":"<YYYY-MM-DDTHH:MM:SSZ>","keyValues":{"0":{"key":"<camelCase>","value":V},...}}
 *
 * (crates/common/src/telemetry/tracers/mod.rs:43-66 build_trace_events, :78 map_value;
 * crates/registry/src/schema/structs.rs:5942 TraceEvent; crates/registry/src/types/list.rs:161
 * a List is an object keyed by position).
 *
 * - `keyValues` holds the event's own keys only, in order, `spanId` among them (where it arrived,
 *   else last on span starts and first on other events, as Stalwart's events name it): the parent
 *   span's keys are not appended and there is no `text` or `details`.
 * - `V` is `{"@type":T,"value":x}` with the tag first (serde's internally tagged enum). mailtel's
 *   model keeps the JSON value, not Stalwart's `Value` variant, so the tag comes from the key
 *   (catalogue/keys.ts: `elapsed` a `Duration`, `remoteIp`/`localIp` an `IpAddr`, the timestamp
 *   keys a `UTCDateTime`) or else the JSON type: a string `String`, a whole number `UnsignedInt`
 *   (`Integer` below 0), any other number `Float`, `Boolean`, an array `List`, a nested event
 *   `{"@type":"Event","event":<type>,"value":<List of key/values>}`, a null `{"@type":"Null"}`
 *   (Stalwart's `Value::None`, which v0.15 leaves out). `spanId` is an `UnsignedInt` with all
 *   its digits.
 */
import { spanIdAt } from '../catalogue/index.js';
import { KEY_KINDS } from '../catalogue/keys.js';
import { formatRfc3339Seconds } from '../format/json-time.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../runtime/event.js';

const U64_DIGITS = /^\d{1,20}$/;
const TAGS: Readonly<Record<string, string>> = { duration: 'Duration', ip: 'IpAddr', timestamp: 'UTCDateTime' };

/** Per event type: `{"event":"<type>","timestamp":"` (a few hundred types in use). */
const heads = new Map<string, string>();
/** Per key: `{"key":"<key>","value":` */
const keyHeads = new Map<string, string>();

export function encodeLiveTraceEventV016(ev: TelemetryEvent): string {
  let head = heads.get(ev.type);
  if (head === undefined) {
    head = '{"event":' + JSON.stringify(ev.type) + ',"timestamp":"';
    if (heads.size < 4096) heads.set(ev.type, head);
  }
  return head + formatRfc3339Seconds(ev.createdAt) + '","keyValues":' + keyValues(ev) + '}';
}

function keyValues(ev: TelemetryEvent): string {
  const data = ev.data;
  const spanId = ev.spanId;
  let out = '{';
  let i = 0;
  if (spanId === undefined) {
    for (const key in data) if (key !== 'spanId') out = pair(out, i++, key, data[key]!);
    return out + '}';
  }
  const at = spanIdAt(ev.type, ev.spanAt);
  let own = 0;
  for (const key in data) {
    if (key === 'spanId') continue;
    if (own++ === at) out = spanPair(out, i++, spanId);
    out = pair(out, i++, key, data[key]!);
  }
  if (own <= at) out = spanPair(out, i, spanId);
  return out + '}';
}

function spanPair(out: string, i: number, spanId: string): string {
  const v = U64_DIGITS.test(spanId) ? '{"@type":"UnsignedInt","value":' + spanId + '}' : '{"@type":"String","value":' + JSON.stringify(spanId) + '}';
  return out + (i > 0 ? ',"' : '"') + i + '":{"key":"spanId","value":' + v + '}';
}

function pair(out: string, i: number, key: string, v: Value): string {
  let head = keyHeads.get(key);
  if (head === undefined) {
    head = '{"key":' + JSON.stringify(key) + ',"value":';
    if (keyHeads.size < 10_000) keyHeads.set(key, head);
  }
  return out + (i > 0 ? ',"' : '"') + i + '":' + head + tagged(v, key) + '}';
}

function list(data: EventData): string {
  let out = '{';
  let i = 0;
  for (const key in data) out = pair(out, i++, key, data[key]!);
  return out + '}';
}

/** One value, tagged as map_value tags it. */
export function tagged(v: Value, key: string | undefined): string {
  if (v === null || v === undefined) return '{"@type":"Null"}';
  const kind = key === undefined ? undefined : KEY_KINDS[key];
  if (typeof v === 'string') return '{"@type":"' + (kind === 'ip' || kind === 'timestamp' ? TAGS[kind] : 'String') + '","value":' + JSON.stringify(v) + '}';
  if (typeof v === 'number') {
    const tag = !Number.isFinite(v) || !Number.isInteger(v) ? 'Float' : kind === 'duration' && v >= 0 ? 'Duration' : v < 0 ? 'Integer' : 'UnsignedInt';
    return '{"@type":"' + tag + '","value":' + (Number.isFinite(v) ? String(v) : 'null') + '}';
  }
  if (typeof v === 'boolean') return v ? '{"@type":"Boolean","value":true}' : '{"@type":"Boolean","value":false}';
  if (Array.isArray(v)) {
    let out = '{';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',"' : '"') + i + '":' + tagged(v[i]!, key);
    return '{"@type":"List","value":' + out + '}}';
  }
  if (isNestedEvent(v)) return '{"@type":"Event","event":' + JSON.stringify(v.type) + ',"value":' + list(v.data) + '}';
  return '{"@type":"Null"}';
}
