import type { Level } from '../catalogue/types.js';

/** A nested error or event value (docs/stalwart.md §3 "a nested error/event as an object {type, data}"). */
export interface NestedEvent {
  type: string;
  data: { [key: string]: Value };
}

/** A key's value as carried in JSON: durations are integer ms, IPs and timestamps strings. */
export type Value = string | number | boolean | null | Value[] | NestedEvent;

export type EventData = { [key: string]: Value };

/**
 * The one event model used everywhere. Sources hand the collector an `IncomingEvent`; the
 * collector stamps it into a `TelemetryEvent`, which every sink, the metrics and the UI read.
 */
export interface IncomingEvent {
  /** Catalogue name, e.g. `smtp.connection-start`. */
  type: string;
  /** Milliseconds since the epoch; the collector stamps `Date.now()` when missing. */
  createdAt?: number;
  /** The event's own keys in order, without `spanId`. */
  data: EventData;
  /** Span id as a decimal string (u64 does not fit a JS number). */
  spanId?: string;
  /** Where `spanId` arrived among the keys (how many of `data`'s keys came before it), when known. */
  spanAt?: number;
  /** Level given by the source; only used for names missing from the catalogue. */
  level?: Level;
  /** Short description given by the source; the catalogue's wins when it has the event. */
  text?: string;
  /** Id of the source that produced it (`source.<id>`); set by the runtime when missing. */
  source?: string;
  /** Parent span keys a source already knows (a live trace has no span id to look them up by). */
  span?: EventData;
}

export interface TelemetryEvent {
  /** Collector sequence number, increasing from 1. */
  seq: number;
  type: string;
  /** Effective level after `tracing.level.*` overrides. */
  level: Level;
  createdAt: number;
  data: EventData;
  spanId?: string;
  /** Where `spanId` arrived among the keys, when the source knew it (replays): encoders keep it there. */
  spanAt?: number;
  /** Keys of the parent span's start event, when the span is known (printed first in logs). */
  span?: EventData;
  /** When the parent span's start event was stamped (ms), with `span`: OTel spans start there. */
  spanStartedAt?: number;
  /** Short description (the log message). */
  text: string;
  /** Id of the source that produced it. */
  source?: string;
}

export function isNestedEvent(v: Value): v is NestedEvent {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as NestedEvent).type === 'string';
}
