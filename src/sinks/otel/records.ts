import type { Attributes, AttributeValue, HrTime, SpanContext } from '@opentelemetry/api';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Level } from '../../catalogue/types.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../../runtime/event.js';
import { renderText } from './render.js';

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

function logValue(key: string, v: Value): AnyValue | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => logValue(key, x) ?? null);
  if (isNestedEvent(v)) return renderText(key, v);
  return v;
}

/** Own keys first, then the parent span's keys not already present; `spanId` never. */
export function logAttributes(ev: TelemetryEvent): LogAttributes {
  const out: LogAttributes = {};
  const add = (data: EventData | undefined): void => {
    if (!data) return;
    for (const [k, v] of Object.entries(data)) {
      if (k === 'spanId' || k in out) continue;
      const value = logValue(k, v);
      if (value !== undefined) out[k] = value;
    }
  };
  add(ev.data);
  add(ev.span);
  return out;
}

function spanValue(key: string, v: Value): AttributeValue | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const kinds = new Set(v.map((x) => typeof x));
    const homogeneous = kinds.size === 1 && ['string', 'number', 'boolean'].includes([...kinds][0]!);
    return homogeneous || v.length === 0 ? (v as AttributeValue) : renderText(key, v);
  }
  return renderText(key, v);
}

/** Span and span-event attributes: primitives and uniform arrays as-is, the rest as text. */
export function spanAttributes(data: EventData): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'spanId') continue;
    const value = spanValue(k, v);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

export function buildLogRecord(ev: TelemetryEvent, ctx: RecordContext, observedMs: number): ReadableLogRecord {
  const spanHex = spanIdHex(ev.spanId);
  return {
    hrTime: secondsHr(ev.createdAt),
    hrTimeObserved: msHr(observedMs),
    spanContext: spanHex ? spanContextOf(spanHex) : undefined,
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

/**
 * One finished span: `events` runs from the start event to the end event inclusive, in the
 * order received. `droppedEvents` counts events over the per-span cap.
 */
export function buildSpan(
  spanHex: string,
  events: readonly TelemetryEvent[],
  droppedEvents: number,
  ctx: RecordContext,
): ReadableSpan {
  const start = events[0]!;
  const end = events[events.length - 1]!;
  const startTime = secondsHr(start.createdAt);
  const endTime = secondsHr(Math.max(end.createdAt, start.createdAt));
  const span = spanContextOf(spanHex);
  const timed: TimedEvent[] = events.map((e) => ({ name: e.type, time: secondsHr(e.createdAt), attributes: spanAttributes(e.data) }));
  return {
    name: start.type,
    kind: SPAN_KIND_SERVER,
    spanContext: () => span,
    startTime,
    endTime,
    status: { code: STATUS_UNSET },
    attributes: spanAttributes(start.data),
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
