/**
 * Formatting for the metrics overlay: values in their metric's unit made readable (`850 ms`,
 * `1.2 s`, `18 KB`) and approximate quantiles read from a histogram's bucket bounds. Pure.
 * Sizes use 1000 steps, as Stalwart's decimal size bounds do (its bucket bound 1000 is "1 KB").
 */
import { exact } from './format.js';

/** One decimal below 100 (`1.2`, `18.3`), whole above; a trailing `.0` is dropped. */
function short(n: number): string {
  const s = n < 100 ? n.toFixed(1) : String(Math.round(n));
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Milliseconds: `0.5 ms`, `850 ms`, `1.2 s`, `5 min`, `2.5 h`, `7 d`. */
export function millis(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${short(ms)} ms`;
  if (ms < 60_000) return `${short(ms / 1000)} s`;
  if (ms < 3_600_000) return `${short(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${short(ms / 3_600_000)} h`;
  return `${short(ms / 86_400_000)} d`;
}

/** Bytes: `500 B`, `1 KB`, `18.7 KB`, `5 MB`, `1.2 GB` (1 KB = 1000 B, as Stalwart's size bounds). */
export function sizeText(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 1e3) return `${short(n)} B`;
  if (n < 1e6) return `${short(n / 1e3)} KB`;
  if (n < 1e9) return `${short(n / 1e6)} MB`;
  return `${short(n / 1e9)} GB`;
}

/** A value in a metric's unit: times and sizes made readable, anything else `1,234 unit`. */
export function unitValue(v: number, unit: string): string {
  if (unit === 'milliseconds') return millis(v);
  if (unit === 'bytes') return sizeText(v);
  if (!unit) return exact(v);
  // Stalwart's units are plural nouns (connections, messages, users, domains): one of them is singular.
  const one = v === 1 && unit.endsWith('s') && unit !== 'bytes' ? unit.slice(0, -1) : unit;
  return `${exact(v)} ${one}`;
}

export interface Buckets {
  /** Finite upper bounds (inclusive); `buckets` has one more entry, for +Inf. */
  bounds: readonly number[];
  /** Per-bucket counts, not cumulative. */
  buckets: readonly number[];
  count: number;
}

/**
 * The bucket holding the q-quantile (0 < q ≤ 1): the first bucket where the running count
 * reaches ceil(q·count). Returns its index (bounds.length for the +Inf bucket), or -1 when
 * the histogram is empty.
 */
export function quantileBucket(h: Buckets, q: number): number {
  if (!(h.count > 0)) return -1;
  const rank = Math.max(1, Math.ceil(q * h.count));
  let seen = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    seen += h.buckets[i]!;
    if (seen >= rank) return i;
  }
  return h.buckets.length - 1;
}

/** The q-quantile as the bucket's (exclusive) bound: `< 10 KB`, or `≥ 500 MB` in the overflow bucket; `-` when empty. */
export function quantileText(h: Buckets, q: number, unit: string): string {
  const i = quantileBucket(h, q);
  if (i < 0) return '-';
  if (i < h.bounds.length) return `< ${unitValue(h.bounds[i]!, unit)}`;
  return `≥ ${unitValue(h.bounds[h.bounds.length - 1]!, unit)}`;
}
