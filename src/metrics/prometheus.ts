/**
 * Prometheus text exposition (format 0.0.4) of the docs/stalwart.md §6 metric set, as Stalwart serves it on
 * `GET /metrics/prometheus`: Stalwart's ids with every non-alphanumeric character turned into
 * `_`, HELP = description, no labels, counters only when above 0, histograms only with data.
 *
 * One deliberate difference: Stalwart prints each histogram bucket's own count; the exposition
 * format requires cumulative `_bucket{le="..."}` counts (ending with `+Inf` = `_count`), which
 * is what mailtel prints, so real Prometheus servers read the histograms correctly.
 */
import type { MetricsSnapshot } from './types.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4';

export function prometheusName(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '_');
}

function help(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function num(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

export function renderPrometheus(snap: MetricsSnapshot): string {
  const out: string[] = [];
  const head = (name: string, description: string, type: string): void => {
    out.push(`# HELP ${name} ${help(description)}`, `# TYPE ${name} ${type}`);
  };
  for (const c of snap.counters) {
    if (c.value <= 0) continue;
    const name = prometheusName(c.name);
    head(name, c.description, 'counter');
    out.push(`${name} ${num(c.value)}`);
  }
  for (const g of snap.gauges) {
    const name = prometheusName(g.name);
    head(name, g.description, 'gauge');
    out.push(`${name} ${num(g.value)}`);
  }
  for (const h of snap.histograms) {
    if (h.count <= 0) continue;
    const name = prometheusName(h.name);
    head(name, h.description, 'histogram');
    let cumulative = 0;
    h.bounds.forEach((bound, i) => {
      cumulative += h.buckets[i]!;
      out.push(`${name}_bucket{le="${num(bound)}"} ${num(cumulative)}`);
    });
    out.push(`${name}_bucket{le="+Inf"} ${num(h.count)}`, `${name}_sum ${num(h.sum)}`, `${name}_count ${num(h.count)}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}
