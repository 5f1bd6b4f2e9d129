/**
 * The live metrics stream's frame (docs/stalwart.md §4): `event: metrics` with a JSON array of counters
 * `{"id","type":"counter","value"}` (above 0 only), then gauges `{"id","type":"gauge","value"}`,
 * then histograms `{"id","type":"histogram","count","sum"}` (once they have data). Values are
 * cumulative since start. v0.16 names the fields differently (crates/http/src/api/telemetry.rs
 * :235, :250, :265): `{"metric","@type":"Counter","count"}`, `{"metric","@type":"Gauge","count"}`
 * (a gauge's value in `count` too), `{"metric","@type":"Histogram","count","sum"}`.
 *
 * Query: `interval=<seconds>` (integer, default 30, at least 1) and `metrics=<comma list>`: event
 * names filter the counters, metric names filter the gauges and histograms; a kind with no name
 * in the list is not filtered.
 */
import { isEvent, METRICS } from '../catalogue/index.js';
import type { MetricsSnapshot } from '../metrics/types.js';

export const DEFAULT_METRICS_INTERVAL_S = 30;

const METRIC_NAMES = new Set(METRICS.map((m) => m.name));

export interface MetricsQuery {
  intervalMs: number;
  events: Set<string>;
  metrics: Set<string>;
}

export function parseMetricsQuery(params: URLSearchParams): MetricsQuery {
  const text = params.get('interval');
  const n = text !== null && /^\d+$/.test(text) ? Number(text) : NaN;
  const seconds = Number.isSafeInteger(n) && n >= 1 ? n : DEFAULT_METRICS_INTERVAL_S;
  const q: MetricsQuery = { intervalMs: seconds * 1000, events: new Set(), metrics: new Set() };
  for (const raw of (params.get('metrics') ?? '').split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (isEvent(name)) q.events.add(name);
    else if (METRIC_NAMES.has(name)) q.metrics.add(name);
  }
  return q;
}

export function encodeMetricsFrame(snap: MetricsSnapshot, q: Pick<MetricsQuery, 'events' | 'metrics'>, v016 = false): string {
  const parts: string[] = [];
  const events = q.events.size > 0 ? q.events : undefined;
  const metrics = q.metrics.size > 0 ? q.metrics : undefined;
  const [counter, gauge, histogram] = v016 ? V016 : V015;
  for (const c of snap.counters) {
    if (c.value > 0 && (!events || events.has(c.name))) parts.push(`${counter[0]}${JSON.stringify(c.name)}${counter[1]}${num(c.value)}}`);
  }
  for (const g of snap.gauges) {
    if (!metrics || metrics.has(g.name)) parts.push(`${gauge[0]}${JSON.stringify(g.name)}${gauge[1]}${num(g.value)}}`);
  }
  for (const h of snap.histograms) {
    if (h.count > 0 && (!metrics || metrics.has(h.name))) parts.push(`${histogram[0]}${JSON.stringify(h.name)}${histogram[1]}${num(h.count)},"sum":${num(h.sum)}}`);
  }
  return `event: metrics\ndata: [${parts.join(',')}]\n\n`;
}

/** Each kind's text before the name, and between the name and the count. */
type Shape = readonly [string, string];
const V015: readonly [Shape, Shape, Shape] = [
  ['{"id":', ',"type":"counter","value":'],
  ['{"id":', ',"type":"gauge","value":'],
  ['{"id":', ',"type":"histogram","count":'],
];
const V016: readonly [Shape, Shape, Shape] = [
  ['{"metric":', ',"@type":"Counter","count":'],
  ['{"metric":', ',"@type":"Gauge","count":'],
  ['{"metric":', ',"@type":"Histogram","count":'],
];

/** Stalwart's values are unsigned integers. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Math.max(0, Math.round(v))) : '0';
}
