import { EVENT_ROWS, METRIC_ROWS } from './data.generated.js';
import type { EventInfo, Level } from './types.js';

export type { EventInfo, Level, LevelSetting } from './types.js';

export interface MetricInfo {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  unit: string;
  description: string;
  enterprise: boolean;
}

/** Every event of v0.15 and v0.16: the v0.15 names in name order, then the v0.16-only names. */
export const EVENTS: readonly EventInfo[] = EVENT_ROWS.map(([name, level, description, counter, v15Id, v16Id]) => ({
  name,
  v15Id: v15Id ?? undefined,
  v16Id: v16Id ?? undefined,
  level,
  description,
  inV15: v15Id !== null,
  inV16: v16Id !== null,
  counter: counter === 1,
}));

const BY_NAME = new Map(EVENTS.map((e) => [e.name, e]));

export function eventInfo(name: string): EventInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * Stalwart's numeric type id of `name` in that version (v0.15: declaration order in the source;
 * v0.16: the explicit id), or undefined when the version has no such event.
 */
export function typeId(name: string, version: '0.15' | '0.16'): number | undefined {
  const e = BY_NAME.get(name);
  return version === '0.15' ? e?.v15Id : e?.v16Id;
}

export function isEvent(name: string): boolean {
  return BY_NAME.has(name);
}

/** Gauges and histograms (docs/stalwart.md §6), in catalogue order. Counters are the events with `counter`. */
export const METRICS: readonly MetricInfo[] = METRIC_ROWS.map(([name, type, unit, description, edition]) => ({
  name,
  type,
  unit,
  description,
  enterprise: edition === 'enterprise',
}));

/** Events that open a span, and the event that closes each (docs/stalwart.md §5). */
export const SPAN_START_TO_END: Readonly<Record<string, string>> = {
  'smtp.connection-start': 'smtp.connection-end',
  'imap.connection-start': 'imap.connection-end',
  'pop3.connection-start': 'pop3.connection-end',
  'manage-sieve.connection-start': 'manage-sieve.connection-end',
  'http.connection-start': 'http.connection-end',
  'delivery.attempt-start': 'delivery.attempt-end',
};
export const SPAN_ENDS: ReadonlySet<string> = new Set(Object.values(SPAN_START_TO_END));

/**
 * Where `spanId` stands among an event's keys: where the source said it arrived (`spanAt`), else
 * as Stalwart writes it, last on a span's start event and first on every other event.
 */
export function spanIdAt(type: string, spanAt: number | undefined): number {
  return spanAt ?? (Object.hasOwn(SPAN_START_TO_END, type) ? Infinity : 0);
}

/** The error event of each sink type, never delivered to a sink of that type (docs/stalwart.md §1). */
export const OWN_ERROR_EVENT: Readonly<Record<string, string | undefined>> = {
  log: 'telemetry.log-error',
  console: undefined,
  journal: 'telemetry.journal-error',
  otel: 'telemetry.otel-exporter-error',
  webhook: 'telemetry.webhook-error',
};

export function isRawIo(name: string): boolean {
  return name.endsWith('.raw-input') || name.endsWith('.raw-output') || name === 'milter.read' || name === 'milter.write';
}

export type { Level as EventLevel };
