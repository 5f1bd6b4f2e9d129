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
      const m = raw as Record<string, unknown>;
      if (typeof m !== 'object' || m === null || typeof m.id !== 'string') return 'an element without "id"';
      if (m.type === 'counter' || m.type === 'gauge') {
        if (typeof m.value !== 'number') return `${m.id}: "value" is not a number`;
        items.push({ id: m.id, type: m.type, value: m.value });
      } else if (m.type === 'histogram') {
        if (typeof m.count !== 'number' || typeof m.sum !== 'number') return `${m.id}: histogram without count/sum`;
        items.push({ id: m.id, type: 'histogram', count: m.count, sum: m.sum });
      } else return `${m.id}: unknown type ${JSON.stringify(m.type)}`;
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
