import type { TelemetryEvent } from '../runtime/event.js';

export interface CounterValue {
  name: string;
  description: string;
  value: number;
}

export interface GaugeValue {
  name: string;
  description: string;
  unit: string;
  value: number;
}

export interface HistogramValue {
  name: string;
  description: string;
  unit: string;
  /** The 11 finite upper bounds (inclusive); `buckets` has one more entry, for +Inf. */
  bounds: readonly number[];
  /** Per-bucket counts (not cumulative), length bounds.length + 1. */
  buckets: number[];
  count: number;
  sum: number;
  /** Undefined while count is 0. Cumulative since start, also in the since-mark view. */
  min?: number;
  max?: number;
}

/** Plain data; a copy, safe to keep. */
export interface MetricsSnapshot {
  /** When taken (ms). */
  at: number;
  /** Start of the counting window: process start (`total`) or the last `mark()` (`since-mark`). */
  since: number;
  /** Counters above 0, in catalogue order. */
  counters: CounterValue[];
  /** The connection and queue gauges always; server.memory, user.count, domain.count once set. */
  gauges: GaugeValue[];
  /** Histograms with at least one observation, in catalogue order. */
  histograms: HistogramValue[];
}

export type SnapshotView = 'total' | 'since-mark';

/** Stalwart's metric set computed from the event stream (docs/stalwart.md §6). Sees every collected event. */
export interface Metrics {
  /** Hot path: called for every collected event. Never throws. */
  observe(ev: TelemetryEvent): void;
  /** Supplies server.memory, user.count or domain.count (from a Stalwart source). */
  setGauge(name: string, value: number): void;
  /** Records a baseline: the `since-mark` view counts from here (console start). */
  mark(): void;
  snapshot(view?: SnapshotView): MetricsSnapshot;
  /** Every counter name in the set (after `metrics.disabled-events`), catalogue order. */
  counterNames(): readonly string[];
  /** Descriptions for HELP lines and the UI. */
  describe(name: string): { description: string; unit: string; type: 'counter' | 'gauge' | 'histogram' } | undefined;
}
