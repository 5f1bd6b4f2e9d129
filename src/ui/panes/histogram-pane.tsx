import { useMemo } from 'react';
import { barCell, type Histogram } from '../view/histogram.js';
import { clock, count, duration } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import type { Role, Theme } from '../theme.js';
import { Block } from './block.js';

/**
 * The event-rate histogram across the top of the events pane (`H`): BAR_ROWS rows of bars, one
 * column per bucket with the newest at the right edge, each coloured by the worst level in it;
 * empty buckets show as `·`. The last line gives the time span and step, or the bucket under
 * the cursor (← →) with its counts.
 */
export const BAR_ROWS = 2;
export const HISTOGRAM_ROWS = BAR_ROWS + 1;

function role(h: Histogram, i: number, cursorAt: number): Role {
  if (i === cursorAt) return 'selected';
  const w = h.buckets[i]!.worst;
  return w === 'error' ? 'level.error' : w === 'warn' ? 'level.warn' : 'spark';
}

export function histogramLines(h: Histogram, cursor: number | null, width: number, theme: Theme): string[] {
  const n = h.buckets.length;
  const pad = Math.max(0, width - n);
  const cursorAt = cursor === null ? -1 : n - 1 - cursor;
  const lines: string[] = [];
  for (let row = 0; row < BAR_ROWS; row++) {
    const segs: Seg[] = [[' '.repeat(pad)]];
    for (let i = Math.max(0, n - width); i < n; i++) segs.push([barCell(h.buckets[i]!, h.max, row, BAR_ROWS), role(h, i, cursorAt)]);
    lines.push(renderLine(segs, width, theme));
  }
  const b = cursorAt >= 0 ? h.buckets[cursorAt] : undefined;
  if (b) {
    const lv = b.byLevel;
    lines.push(
      renderLine(
        [
          [` ${clock(b.start)}–${clock(b.end)}  `, 'text'],
          [`${count(b.total)} events`, 'number'],
          [`  error ${lv.error}  warn ${lv.warn}  info ${lv.info}  debug ${lv.debug}  trace ${lv.trace}   Enter jumps the list, Esc cancels`, 'muted'],
        ],
        width,
        theme,
      ),
    );
  } else if (n > 0) {
    lines.push(renderLine([[` ${clock(h.buckets[0]!.start)} → ${clock(h.buckets[n - 1]!.end)}, one column per ${duration(h.stepMs)}, highest ${count(h.max)}   ← → pick a time`, 'muted']], width, theme));
  } else lines.push(renderLine([[' no events shown yet', 'muted']], width, theme));
  return lines;
}

export function HistogramPane({ h, cursor, width, theme }: { h: Histogram; cursor: number | null; width: number; theme: Theme }) {
  const lines = useMemo(() => histogramLines(h, cursor, width, theme), [h, cursor, width, theme]);
  return <Block lines={lines} width={width} height={HISTOGRAM_ROWS} />;
}
