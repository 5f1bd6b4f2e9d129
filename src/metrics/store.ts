import { eventInfo } from '../catalogue/index.js';
import type { MetricsConfig } from './config.js';
import type { TelemetryEvent, Value } from '../runtime/event.js';
import { compileMetrics, SUPPLIED_GAUGES } from './defs.js';
import type { HistogramValue, Metrics, MetricsSnapshot, SnapshotView } from './types.js';

const BUCKETS = 12;

/** One histogram's running state: per-bucket counts, count, sum, min, max. */
class Hist {
  readonly buckets = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  constructor(readonly bounds: readonly number[]) {}

  /** Stalwart's rule: the first bucket whose (exclusive) upper bound is greater than `v`. */
  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v >= b[i]!) i++;
    this.buckets[i]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
}

/** The value key as Stalwart reads it: a missing (or unusable) `elapsed`/`size` is 0. */
function numeric(v: Value | undefined): number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : 0;
  if (typeof v === 'string' && v !== '') {
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : 0;
  }
  return 0;
}

export function createMetrics(cfg: Pick<MetricsConfig, 'disabledEvents'>): Metrics {
  const startedAt = Date.now();
  const c = compileMetrics(cfg.disabledEvents);
  const counts = new Float64Array(c.counters.length);
  const descriptions = c.counters.map((n) => eventInfo(n)?.description ?? '');
  const gauges = new Float64Array(c.gauges.length);
  const gaugeSet = c.gauges.map((g) => !(SUPPLIED_GAUGES as readonly string[]).includes(g.name));
  const hists = c.histograms.map((h) => new Hist(h.bounds));
  const actions = c.actions;
  let mark: { at: number; counts: Float64Array; hists: { buckets: Float64Array; count: number; sum: number }[] } | undefined;

  function observe(ev: TelemetryEvent): void {
    const list = actions.get(ev.type);
    if (list === undefined) return;
    for (let j = 0; j < list.length; j++) {
      const a = list[j]!;
      if (a.k === 'count') counts[a.i]!++;
      else if (a.k === 'gauge') {
        const v = gauges[a.i]! + a.d;
        gauges[a.i] = v < 0 ? 0 : v;
      } else {
        const v = numeric(ev.data[a.key]);
        if (!a.positive || v > 0) hists[a.i]!.observe(v);
      }
    }
  }

  function snapshot(view: SnapshotView = 'total'): MetricsSnapshot {
    const base = view === 'since-mark' ? mark : undefined;
    const counters = [];
    for (let i = 0; i < counts.length; i++) {
      const value = counts[i]! - (base ? base.counts[i]! : 0);
      if (value > 0) counters.push({ name: c.counters[i]!, description: descriptions[i]!, value });
    }
    const gaugeValues = c.gauges.flatMap((g, i) => (gaugeSet[i] ? [{ name: g.name, description: g.description, unit: g.unit, value: gauges[i]! }] : []));
    const histograms: HistogramValue[] = [];
    hists.forEach((h, i) => {
      const b = base?.hists[i];
      const count = h.count - (b ? b.count : 0);
      if (count <= 0) return;
      const d = c.histograms[i]!;
      histograms.push({
        name: d.name,
        description: d.description,
        unit: d.unit,
        bounds: d.bounds,
        buckets: Array.from(h.buckets, (v, k) => v - (b ? b.buckets[k]! : 0)),
        count,
        sum: h.sum - (b ? b.sum : 0),
        min: h.min,
        max: h.max,
      });
    });
    return { at: Date.now(), since: base ? base.at : startedAt, counters, gauges: gaugeValues, histograms };
  }

  return {
    observe(ev) {
      try {
        observe(ev);
      } catch {
        // A malformed event (e.g. missing data) must not break the collector; it simply is not counted.
      }
    },
    setGauge(name, value) {
      const i = c.gauges.findIndex((g) => g.name === name);
      if (i < 0 || !Number.isFinite(value)) return;
      gauges[i] = value;
      gaugeSet[i] = true;
    },
    mark() {
      mark = { at: Date.now(), counts: counts.slice(), hists: hists.map((h) => ({ buckets: h.buckets.slice(), count: h.count, sum: h.sum })) };
    },
    snapshot,
    counterNames: () => c.counters,
    describe(name) {
      const g = c.gauges.find((x) => x.name === name);
      if (g) return { description: g.description, unit: g.unit, type: 'gauge' };
      const h = c.histograms.find((x) => x.name === name);
      if (h) return { description: h.description, unit: h.unit, type: 'histogram' };
      const e = c.counterIndex.has(name) ? eventInfo(name) : undefined;
      return e ? { description: e.description, unit: 'events', type: 'counter' } : undefined;
    },
  };
}
