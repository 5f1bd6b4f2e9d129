import { sortLabel, sortRows, type SortState } from '../view/table-sort.js';
import { COUNTER_COLUMNS } from '../view/table-columns.js';
import type { CounterValue, HistogramValue, MetricsSnapshot } from '../../metrics/types.js';
import { clock, exact, uptime } from '../text/format.js';
import { quantileText, unitValue } from '../text/metrics-format.js';
import type { MetricsView } from '../view/state.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit, fitRight, textWidth } from '../text/plain.js';
import type { Theme } from '../theme.js';

/**
 * The metrics overlay's lines: Stalwart's metric set as the runtime computed it from the
 * stream (`metricsSnapshot()`), nothing computed here but means and bucket quantiles.
 * Counters that moved, largest first; every gauge; every histogram that has observations.
 * Columns are sized to the values shown and the names cut with `…` to the width.
 */
export const METRICS_VIEW_LABEL: Record<MetricsView, string> = { total: 'since start', 'since-mark': 'since the console opened' };

const GAP = '  ';
const section = (title: string, note: string, width: number, theme: Theme) => renderLine([[title, 'title'], [note ? '  ' + note : '', 'muted']], width, theme);
const none = (text: string, width: number, theme: Theme) => renderLine([['  ' + text, 'muted']], width, theme);
const widest = (texts: readonly string[], floor = 0) => texts.reduce((w, t) => Math.max(w, textWidth(t)), floor);

/** Name column: as wide as the longest name, but leaving `rest` columns for what follows. */
function nameWidth(names: readonly string[], width: number, used: number, rest: number): number {
  return Math.max(8, Math.min(widest(names), width - used - rest));
}

/** Counters above 0, largest value first (ties keep catalogue order). */
export function sortedCounters(counters: readonly CounterValue[]): CounterValue[] {
  return counters.slice().sort((a, b) => b.value - a.value);
}

function counterLines(m: MetricsSnapshot, view: MetricsView, width: number, theme: Theme, sort?: SortState): string[] {
  const rows = sort && (sort.col !== 0 || sort.desc) ? sortRows(sortedCounters(m.counters), COUNTER_COLUMNS, sort) : sortedCounters(m.counters);
  const total = rows.reduce((n, c) => n + c.value, 0);
  const order = sort && (sort.col !== 0 || sort.desc) ? sortLabel(COUNTER_COLUMNS, sort) : 'largest first';
  const out = [section(`Counters (${rows.length} non-zero)`, `${exact(total)} events counted ${METRICS_VIEW_LABEL[view]}, ${order}`, width, theme)];
  if (rows.length === 0) return [...out, none(view === 'total' ? 'no counted event yet' : 'no counted event since the console opened', width, theme)];
  const values = rows.map((c) => exact(c.value));
  const vw = widest(values, 5);
  const nw = nameWidth(rows.map((c) => c.name), width, 2 + vw + 2 * GAP.length, 12);
  out.push(renderLine([['  ' + fitRight('value', vw) + GAP + fit('counter', nw), 'muted'], [GAP + 'description', 'muted']], width, theme));
  rows.forEach((c, i) => out.push(renderLine([['  ' + fitRight(values[i]!, vw), 'number'], [GAP + fit(c.name, nw), 'text'], [GAP + c.description, 'muted']], width, theme)));
  return out;
}

function gaugeLines(m: MetricsSnapshot, width: number, theme: Theme): string[] {
  const out = [section(`Gauges (${m.gauges.length})`, 'current values, the same in both views', width, theme)];
  if (m.gauges.length === 0) return [...out, none('no gauge', width, theme)];
  const values = m.gauges.map((g) => unitValue(g.value, g.unit));
  const vw = widest(values, 5);
  const nw = nameWidth(m.gauges.map((g) => g.name), width, 2 + vw + 2 * GAP.length, 12);
  m.gauges.forEach((g, i) =>
    out.push(renderLine([['  ' + fit(g.name, nw), 'text'], [GAP + fitRight(values[i]!, vw), 'number'], [GAP + g.description, 'muted']], width, theme)),
  );
  return out;
}

/** The numbers of one histogram row, as shown: count, mean, min, max, ≈p50, ≈p90. */
export function histogramCells(h: HistogramValue): string[] {
  const v = (x: number | undefined) => (x === undefined ? '-' : unitValue(x, h.unit));
  return [exact(h.count), v(h.count > 0 ? h.sum / h.count : undefined), v(h.min), v(h.max), quantileText(h, 0.5, h.unit), quantileText(h, 0.9, h.unit)];
}

const HIST_HEAD = ['count', 'mean', 'min', 'max', '≈p50', '≈p90'];

function histogramLines(m: MetricsSnapshot, view: MetricsView, width: number, theme: Theme): string[] {
  const note = view === 'total' ? 'p50/p90: the bucket bound they fall under' : 'min and max are since start; p50/p90 are bucket bounds';
  const out = [section(`Histograms (${m.histograms.length} with observations)`, note, width, theme)];
  if (m.histograms.length === 0) return [...out, none(view === 'total' ? 'no observation yet' : 'no observation since the console opened', width, theme)];
  const cells = m.histograms.map(histogramCells);
  const cw = HIST_HEAD.map((h, k) => widest(cells.map((c) => c[k]!), textWidth(h)));
  const numbers = cw.reduce((n, w) => n + w + GAP.length, 0);
  const nw = nameWidth(m.histograms.map((h) => h.name), width, 2 + numbers, 0);
  const nums = (texts: readonly string[]): string => texts.map((t, k) => GAP + fitRight(t, cw[k]!)).join('');
  out.push(renderLine([['  ' + fit('histogram', nw) + nums(HIST_HEAD), 'muted'], [GAP + 'description', 'muted']], width, theme));
  m.histograms.forEach((h, i) => {
    const segs: Seg[] = [['  ' + fit(h.name, nw), 'text'], [nums(cells[i]!), 'number'], [GAP + h.description, 'muted']];
    out.push(renderLine(segs, width, theme));
  });
  return out;
}

/** The line under the title: which view, from when, and the key that switches. */
function viewLine(m: MetricsSnapshot, view: MetricsView, width: number, theme: Theme): string {
  const other = view === 'total' ? 'since-mark' : 'total';
  const from = view === 'total' ? 'runtime start' : 'console opened';
  return renderLine(
    [[` counting from ${clock(m.since)} UTC (${from}), ${uptime(m.at - m.since)} ago`, 'text'], ['   v: ' + METRICS_VIEW_LABEL[other], 'muted']],
    width,
    theme,
  );
}

export function metricsLines(m: MetricsSnapshot, view: MetricsView, width: number, theme: Theme, sort?: SortState): string[] {
  return [
    viewLine(m, view, width, theme),
    '',
    ...counterLines(m, view, width, theme, sort),
    '',
    ...gaugeLines(m, width, theme),
    '',
    ...histogramLines(m, view, width, theme),
  ];
}
