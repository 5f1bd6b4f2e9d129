import type { ServerMetric, ServerMetrics } from '../../runtime/types.js';

/**
 * Reads `metrics` frames (docs/stalwart.md §4: counters, gauges, histograms, cumulative since the server
 * started) and sets each server counter beside what mailtel received of that event from the same
 * source since its first snapshot: `delta` (the server's increase) against `received`.
 */
export class MetricsTracker {
  private base: Map<string, number> | undefined;
  private receivedBase = new Map<string, number>();

  constructor(private readonly perType: ReadonlyMap<string, number>) {}

  /** The new snapshot, or the reason the frame was refused. */
  frame(data: string, at: number): ServerMetrics | string {
    let v: unknown;
    try {
      v = JSON.parse(data);
    } catch (e) {
      return `invalid JSON: ${(e as Error).message.slice(0, 100)}`;
    }
    if (!Array.isArray(v)) return 'not a JSON array';
    const items: ServerMetric[] = [];
    for (const raw of v as unknown[]) {
      const m = readMetric(raw);
      if (typeof m === 'string') return m;
      items.push(m);
    }
    const counters = items.filter((i) => i.type === 'counter');
    // A counter lower than its base means the server restarted: count from this snapshot again.
    if (this.base === undefined || counters.some((c) => c.value! < (this.base!.get(c.id) ?? 0))) {
      this.base = new Map(counters.map((c) => [c.id, c.value!]));
      this.receivedBase = new Map(this.perType);
    }
    for (const c of counters) {
      c.delta = c.value! - (this.base.get(c.id) ?? 0);
      c.received = (this.perType.get(c.id) ?? 0) - (this.receivedBase.get(c.id) ?? 0);
    }
    return { at, items };
  }
}

/**
 * One metric in either generation's shape: v0.15 `{"id","type":"counter"|"gauge","value"}` and
 * `{"id","type":"histogram","count","sum"}`; v0.16 `{"metric","@type":"Counter"|"Gauge","count"}`
 * and `{"metric","@type":"Histogram","count","sum"}` (crates/http/src/api/telemetry.rs).
 */
function readMetric(raw: unknown): ServerMetric | string {
  if (typeof raw !== 'object' || raw === null) return 'an element that is not an object';
  const m = raw as Record<string, unknown>;
  const id = m.id ?? m.metric;
  if (typeof id !== 'string') return 'an element without "id" (v0.15) or "metric" (v0.16)';
  const tag = m.type ?? m['@type'];
  const type = typeof tag === 'string' ? tag.toLowerCase() : tag;
  if (type === 'counter' || type === 'gauge') {
    const value = m.value ?? m.count;
    if (typeof value !== 'number') return `${id}: the value is not a number`;
    return { id, type, value };
  }
  if (type === 'histogram') {
    if (typeof m.count !== 'number' || typeof m.sum !== 'number') return `${id}: histogram without count/sum`;
    return { id, type: 'histogram', count: m.count, sum: m.sum };
  }
  return `${id}: unknown type ${JSON.stringify(tag)}`;
}
