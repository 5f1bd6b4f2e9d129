import type { Level } from '../../catalogue/types.js';
import type { TelemetryEvent } from '../../runtime/event.js';

/**
 * The event-rate histogram over the events list as shown (filter and level applied): one
 * bucket per column, each a round step (1 s … 1 h) so the buckets cover the whole visible
 * history; counts per level; empty buckets stay (a gap in traffic shows as a gap). Pure.
 */
export interface Bucket {
  start: number;
  end: number;
  total: number;
  /** The most severe level present. */
  worst: Level | null;
  byLevel: Record<Level, number>;
}

export interface Histogram {
  stepMs: number;
  buckets: Bucket[];
  max: number;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);
const RANK: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export function histogram(events: readonly TelemetryEvent[], columns: number): Histogram {
  const cols = Math.max(1, columns);
  if (events.length === 0) return { stepMs: 1000, buckets: [], max: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of events) {
    if (e.createdAt < lo) lo = e.createdAt;
    if (e.createdAt > hi) hi = e.createdAt;
  }
  const stepMs = STEPS.find((s) => Math.floor(hi / s) - Math.floor(lo / s) + 1 <= cols) ?? STEPS[STEPS.length - 1]!;
  const first = Math.floor(lo / stepMs) * stepMs;
  const n = Math.floor(hi / stepMs) - Math.floor(lo / stepMs) + 1;
  const buckets: Bucket[] = Array.from({ length: n }, (_, i) => ({
    start: first + i * stepMs,
    end: first + (i + 1) * stepMs,
    total: 0,
    worst: null,
    byLevel: { trace: 0, debug: 0, info: 0, warn: 0, error: 0 },
  }));
  let max = 0;
  for (const e of events) {
    const b = buckets[Math.floor((e.createdAt - first) / stepMs)]!;
    b.total++;
    b.byLevel[e.level]++;
    if (b.worst === null || RANK[e.level] > RANK[b.worst]) b.worst = e.level;
    if (b.total > max) max = b.total;
  }
  return { stepMs, buckets, max };
}

const BLOCKS = ' ▁▂▃▄▅▆▇█';

/**
 * One row of the bar chart, `rows` high (row 0 is the top): each bucket's height scaled to the
 * fullest one, in eighths; a bucket with any event shows at least ▁.
 */
export function barCell(b: Bucket, max: number, row: number, rows: number): string {
  if (b.total === 0 || max === 0) return row === rows - 1 ? '·' : ' ';
  const eighths = Math.max(1, Math.round((b.total / max) * rows * 8));
  const fromBottom = rows - 1 - row;
  const here = Math.max(0, Math.min(8, eighths - fromBottom * 8));
  return BLOCKS[here]!;
}

/**
 * Where Enter on a bucket puts the events cursor: the newest shown event created before the
 * bucket's end, counted from the newest row (the events pane's `cursor`). `events` is in list
 * order, oldest first.
 */
export function cursorForTime(events: readonly TelemetryEvent[], end: number): number {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.createdAt < end) return events.length - 1 - i;
  return Math.max(0, events.length - 1);
}
