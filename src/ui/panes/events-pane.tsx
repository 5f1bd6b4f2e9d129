import { useMemo, useRef } from 'react';
import type { TelemetryEvent } from '../../runtime/event.js';
import { countUpTo } from '../view/event-list.js';
import { exact } from '../text/format.js';
import type { ViewState } from '../view/state.js';
import { renderLine, type Seg } from '../text/styled.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { titleLine } from './common.js';
import { eventColumns, eventSegs } from './event-row.js';

/** Which slice of the list is on screen, from the view state (clamped to the list). */
export interface EventWindow {
  /** Rows up to the freeze point, and matching events that arrived after it. */
  shown: number;
  newCount: number;
  cursor: number;
  start: number;
  end: number;
}

export function eventWindow(items: readonly TelemetryEvent[], view: ViewState, rows: number): EventWindow {
  const shown = view.frozen ? countUpTo(items, view.frozenSeq) : items.length;
  const cursor = Math.min(view.cursor, Math.max(0, shown - 1));
  let scroll = Math.min(view.scroll, cursor);
  if (cursor >= scroll + rows) scroll = cursor - rows + 1;
  const end = Math.max(0, shown - scroll);
  return { shown, newCount: items.length - shown, cursor, start: Math.max(0, end - rows), end };
}

export interface EventsPaneProps {
  items: readonly TelemetryEvent[];
  view: ViewState;
  focused: boolean;
  /** Events in the runtime's history (before filtering), for the empty state. */
  historyCount: number;
  /** Width of the source column (0: one source, no column). */
  sourceWidth?: number;
  width: number;
  height: number;
  theme: Theme;
}

type RowCache = { key: string; rows: WeakMap<TelemetryEvent, string> };

export function eventsLines(p: EventsPaneProps, cache?: RowCache): string[] {
  const { items, view, width, height, theme } = p;
  const rows = Math.max(0, height - 1);
  const win = eventWindow(items, view, rows);
  const info: Seg[] = [[`${exact(win.shown)} shown `, 'muted']];
  if (view.minLevel !== 'trace') info.push([`level≥${view.minLevel} `, 'key']);
  if (view.filter) info.push(['filter: ', 'muted'], [view.filter + ' ', 'key']);
  if (view.frozen) info.push([' FROZEN ', 'badge'], [' '], [` +${exact(win.newCount)} new `, 'badge']);
  else info.push(['▼ live ', 'state.ok']);
  const lines = [titleLine('Events', p.focused, info, width, theme)];
  if (win.shown === 0) {
    const why = p.historyCount === 0 ? 'waiting for events…' : `no event matches (${exact(p.historyCount)} in history): / edits the filter, l the level`;
    lines.push(renderLine([['  ' + why, 'muted']], width, theme));
    return lines;
  }
  const cols = eventColumns(width, p.sourceWidth ?? 0);
  const key = `${width}|${theme.name}|${cols.source}|${view.filter}`;
  if (cache && cache.key !== key) {
    cache.key = key;
    cache.rows = new WeakMap();
  }
  const selected = win.shown - 1 - win.cursor;
  for (let i = win.start; i < win.end; i++) {
    const ev = items[i]!;
    if (p.focused && i === selected) {
      lines.push(renderLine(eventSegs(ev, cols, view.filter), width, theme, 'selected'));
      continue;
    }
    let line = cache?.rows.get(ev);
    if (line === undefined) {
      line = renderLine(eventSegs(ev, cols, view.filter), width, theme);
      cache?.rows.set(ev, line);
    }
    lines.push(line);
  }
  return lines;
}

export function EventsPane(p: EventsPaneProps) {
  const cache = useRef<RowCache>({ key: '', rows: new WeakMap() });
  const { items, view, focused, historyCount, sourceWidth, width, height, theme } = p;
  const lines = useMemo(
    () => eventsLines({ items, view, focused, historyCount, sourceWidth, width, height, theme }, cache.current),
    [items, view, focused, historyCount, sourceWidth, width, height, theme],
  );
  return <Block lines={lines} width={width} height={height} />;
}
