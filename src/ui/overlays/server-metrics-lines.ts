import { METRICS } from '../../catalogue/index.js';
import type { ServerMetric, SourceStatus } from '../../runtime/types.js';
import { duration, exact } from '../text/format.js';
import { unitValue } from '../text/metrics-format.js';
import { renderLine } from '../text/styled.js';
import { fit, fitRight } from '../text/plain.js';
import type { Theme } from '../theme.js';

const UNIT = new Map(METRICS.map((m) => [m.name, m.unit]));
const GAP = '  ';

/**
 * The metrics view's part for live sources: per source, the server's own gauges (what no event
 * can give: memory, accounts, domains, queue, connections) and its counters beside what mailtel
 * received of the same events from that source since its first snapshot. A gap (server counted
 * more than arrived) is events the server saw and never streamed here: filtered out by the live
 * filter, not wanted by any tracer there, or lost; up to a second of lag is normal.
 */
export function serverMetricsLines(sources: readonly SourceStatus[], now: number, width: number, theme: Theme): string[] {
  const out: string[] = [];
  for (const s of sources) {
    const m = s.serverMetrics;
    if (!m) continue;
    out.push('', renderLine([[`Server ${s.id}`, 'title'], [`  its own metrics frame, ${duration(Math.max(0, now - m.at))} ago`, 'muted']], width, theme));
    const gauges = m.items.filter((i) => i.type === 'gauge');
    for (const g of gauges) {
      out.push(renderLine([['  ' + fit(g.id, 30), 'text'], [GAP + unitValue(g.value ?? 0, UNIT.get(g.id) ?? ''), 'number']], width, theme));
    }
    const counters = m.items.filter((i): i is ServerMetric & { delta: number; received: number } => i.type === 'counter' && i.delta !== undefined);
    const moved = counters.filter((c) => c.delta > 0 || c.received > 0).sort((a, b) => b.delta - a.delta);
    out.push(renderLine([['  ' + fitRight('server Δ', 10) + GAP + fitRight('received', 10) + GAP + fitRight('gap', 8) + GAP + 'event (since the first snapshot)', 'muted']], width, theme));
    if (moved.length === 0) out.push(renderLine([['  no counter moved since the first snapshot', 'muted']], width, theme));
    for (const c of moved) {
      const gap = c.delta - c.received;
      out.push(
        renderLine(
          [
            ['  ' + fitRight(exact(c.delta), 10), 'number'],
            [GAP + fitRight(exact(c.received), 10), 'number'],
            [GAP + fitRight(gap === 0 ? '0' : exact(gap), 8), gap > 0 ? 'state.warn' : 'muted'],
            [GAP + c.id, 'text'],
          ],
          width,
          theme,
        ),
      );
    }
  }
  return out;
}
