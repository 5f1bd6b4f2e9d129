import type { Attributes, AttributeValue, HrTime, SpanContext } from '@opentelemetry/api';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Level } from '../../catalogue/types.js';
import { SPAN_START_TO_END, spanIdAt } from '../../catalogue/index.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../../runtime/event.js';

// Type-only imports above: this module builds plain objects the OTLP serializers read, so it
// loads no OpenTelemetry code at run time. Enum values are spelled as numbers.
const SEVERITY: Readonly<Record<Level, number>> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17 };
const SPAN_KIND_SERVER = 1; // api SpanKind.SERVER (OTLP SPAN_KIND_SERVER = 2 after the +1 shift)
const STATUS_UNSET = 0;
const TRACE_FLAGS_NONE = 0;
const U64_MAX = (1n << 64n) - 1n;

/** What every record of one sink shares. */
export interface RecordContext {
  resource: Resource;
  scope: InstrumentationScope;
}

/** The u64 span id (decimal string) as 16 hex digits; undefined when missing, zero or bad. */
export function spanIdHex(spanId: string | undefined): string | undefined {
  if (!spanId || !/^\d{1,20}$/.test(spanId)) return undefined;
  const n = BigInt(spanId);
  if (n === 0n || n > U64_MAX) return undefined;
  return n.toString(16).padStart(16, '0');
}

/** Trace id = the span id widened to 128 bits, as Stalwart does (`span_id as u128`). */
export function traceIdHex(spanHex: string): string {
  return spanHex.padStart(32, '0');
}

export function spanContextOf(spanHex: string): SpanContext {
  return { traceId: traceIdHex(spanHex), spanId: spanHex, traceFlags: TRACE_FLAGS_NONE };
}

/** Stalwart stamps events in whole seconds; OTel times are taken from that, not from ms. */
export function secondsHr(ms: number): HrTime {
  return [Math.floor(ms / 1000), 0];
}

function msHr(ms: number): HrTime {
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
}

export function severityText(level: Level): string {
  return level.toUpperCase();
}

/** Stalwart writes `None` as false in both log and span attributes. */
function logValue(v: Value | Uint8Array): AnyValue {
  if (v === null || v === undefined) return false;
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(logValue);
  if (isNestedEvent(v)) {
    const map: Record<string, AnyValue> = { eventName: v.type };
    for (const k in v.data) map[k] = logValue(v.data[k]!);
    return map;
  }
  return v;
}

/**
 * The u64 span id as the integer Stalwart sends: its bits as an i64 (ids past 2^63 turn
 * negative). The OTel JS SDK carries a JS number, so ids past 2^53 lose their low digits.
 */
function spanIdValue(spanId: string): number {
  return /^\d{1,20}$/.test(spanId) ? Number(BigInt.asIntN(64, BigInt(spanId))) : Number(spanId);
}

/**
 * docs/stalwart.md §0 log record attributes: the event's own keys only, in the order they arrived, `spanId`
 * included as an integer where it arrived (`spanAt`; without it last on span starts, first
 * elsewhere, as Stalwart writes them); a nested event is a map `{eventName, ...its keys}`,
 * arrays are lists, bytes are bytes. No parent span keys.
 */
export function logAttributes(ev: TelemetryEvent): LogAttributes {
  const out: LogAttributes = {};
  const id = ev.spanId;
  const at = id === undefined ? -1 : spanIdAt(ev.type, ev.spanAt);
  let i = 0;
  for (const k in ev.data) {
    if (k === 'spanId') continue;
    if (i++ === at) out.spanId = spanIdValue(id!);
    out[k] = logValue(ev.data[k]!);
  }
  if (id !== undefined && !('spanId' in out)) out.spanId = spanIdValue(id);
  return out;
}

function spanValue(v: Value | Uint8Array): AttributeValue {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return '[binary data]';
  if (Array.isArray(v)) return '[array]';
  return '[event data]';
}

/**
 * docs/stalwart.md §0 span and span-event attributes (Stalwart's `build_key_value`): every key but `spanId`;
 * strings, numbers and booleans as they are, a nested event `"[event data]"`, a list
 * `"[array]"`, bytes `"[binary data]"`, a missing value false.
 */
export function spanAttributes(data: EventData): Attributes {
  const out: Attributes = {};
  for (const k in data) {
    if (k === 'spanId') continue;
    out[k] = spanValue(data[k]!);
  }
  return out;
}

/** docs/stalwart.md §0: no trace or span context on the record (Stalwart sets none). */
export function buildLogRecord(ev: TelemetryEvent, ctx: RecordContext, observedMs: number): ReadableLogRecord {
  return {
    hrTime: secondsHr(ev.createdAt),
    hrTimeObserved: msHr(observedMs),
    spanContext: undefined,
    severityNumber: SEVERITY[ev.level] ?? SEVERITY.error,
    severityText: severityText(ev.level),
    body: ev.text,
    eventName: ev.type,
    resource: ctx.resource,
    instrumentationScope: ctx.scope,
    attributes: logAttributes(ev),
    droppedAttributesCount: 0,
  };
}

const START_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SPAN_START_TO_END).map(([start, end]) => [end, start]));

/**
 * One finished span (docs/stalwart.md §0): `events` are the events between start and end, then the end event,
 * in the order received; the start event is not among them. The span's name, start time and
 * attributes come from the parent span the collector attached to the end event (`span`,
 * `spanStartedAt`), so they are there even when this tracer did not select the start event.
 * `droppedEvents` counts events over the per-span cap.
 */
export function buildSpan(
  spanHex: string,
  events: readonly TelemetryEvent[],
  droppedEvents: number,
  ctx: RecordContext,
): ReadableSpan {
  const end = events[events.length - 1]!;
  const startedAt = end.spanStartedAt ?? events[0]!.createdAt;
  const startTime = secondsHr(startedAt);
  const endTime = secondsHr(Math.max(end.createdAt, startedAt));
  const span = spanContextOf(spanHex);
  const timed: TimedEvent[] = events.map((e) => ({ name: e.type, time: secondsHr(e.createdAt), attributes: spanAttributes(e.data) }));
  return {
    name: START_OF[end.type] ?? end.type,
    kind: SPAN_KIND_SERVER,
    spanContext: () => span,
    startTime,
    endTime,
    status: { code: STATUS_UNSET },
    attributes: spanAttributes(end.span ?? {}),
    links: [],
    events: timed,
    duration: [endTime[0] - startTime[0], 0],
    ended: true,
    resource: ctx.resource,
    instrumentationScope: ctx.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: droppedEvents,
    droppedLinksCount: 0,
  };
}
