import type { CounterValue } from '../../metrics/types.js';
import type { SinkStatus } from '../../runtime/types.js';
import { sortRows, type SortColumn, type SortState } from './table-sort.js';

/** The sinks pane's and the metrics view's sort columns (the `o` / `O` keys). */
export const SINK_COLUMNS: readonly SortColumn<SinkStatus & { n: number }>[] = [
  { name: '#', value: (s) => s.n },
  { name: 'sink', value: (s) => s.id },
  { name: 'state', value: (s) => s.state },
  { name: 'ev/s', value: (s) => s.rate1s, desc: true },
  { name: 'written', value: (s) => s.written, desc: true },
  { name: 'dropped', value: (s) => s.droppedIntentional + s.droppedError, desc: true },
  { name: 'queue', value: (s) => s.queueDepth, desc: true },
];

export const COUNTER_COLUMNS: readonly SortColumn<CounterValue>[] = [
  { name: 'value', value: (c) => c.value, desc: true },
  { name: 'counter', value: (c) => c.name },
];

/** The sinks pane's rows in the sort's order, as indexes into `sinks` (undefined: config order). */
export function sinkDisplayOrder(sinks: readonly SinkStatus[], sort: SortState): number[] | undefined {
  if (sort.col === 0 && !sort.desc) return undefined;
  return sortRows(
    sinks.map((s, i) => ({ ...s, n: i + 1 })),
    SINK_COLUMNS,
    sort,
  ).map((s) => s.n - 1);
}
