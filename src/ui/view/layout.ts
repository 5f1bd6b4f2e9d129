import type { PaneId } from './state.js';

/**
 * Where everything goes for a terminal size: the screen is always exactly `rows` lines
 * (header, the four panes, a status line, the footer). Small terminals stack the panes and
 * give the room to the focused one; from 120x30 up the OTLP and webhooks panes sit side by
 * side. Pane heights include their title line. Pure.
 */
export interface LayoutInput {
  cols: number;
  rows: number;
  focus: PaneId;
  sources: number;
  sinks: number;
  /** Content lines the OTLP and webhooks panes would like (without the title). */
  otlpLines: number;
  webhookLines: number;
}

export interface Layout {
  cols: number;
  rows: number;
  tooSmall: boolean;
  header: number;
  /** Source lines shown in the header (the rest are summarised). */
  sourceLines: number;
  events: number;
  sinks: number;
  /** Side by side: both panes are `bottom` lines high, `leftWidth` + `rightWidth` = cols. */
  split: boolean;
  otlp: number;
  webhooks: number;
  leftWidth: number;
  rightWidth: number;
  /** Lines between the header and the status line (overlays use all of it). */
  body: number;
}

export const MIN_COLS = 40;
export const MIN_ROWS = 12;

export function layout(i: LayoutInput): Layout {
  const { cols, rows, focus } = i;
  const base = { cols, rows, leftWidth: cols, rightWidth: 0, split: false };
  if (cols < MIN_COLS || rows < MIN_ROWS) {
    return { ...base, tooSmall: true, header: 0, sourceLines: 0, events: 0, sinks: 0, otlp: 0, webhooks: 0, body: 0 };
  }
  const cap = rows < 30 ? 1 : rows < 45 ? 3 : 5;
  const sourceLines = Math.min(i.sources, cap);
  const header = 1 + sourceLines;
  const body = rows - header - 2;
  const split = cols >= 120 && rows >= 30;
  const roomy = rows >= 30;

  // Title, the column header (always: bare numbers mean nothing), one line per sink.
  const sinksWant = 2 + Math.max(1, i.sinks);
  const sinksCap = focus === 'sinks' ? Math.floor(body * 0.5) : roomy ? Math.max(4, Math.floor(body * 0.3)) : 2 + Math.min(i.sinks, 3);
  let sinks = Math.max(3, Math.min(sinksWant, sinksCap));

  const paneHeight = (want: number, focused: boolean) =>
    Math.max(2, Math.min(1 + want, focused ? Math.floor(body * 0.45) : split ? Math.floor(body * 0.3) : roomy ? 4 : 2));
  let otlp = paneHeight(i.otlpLines, focus === 'otlp');
  let webhooks = paneHeight(i.webhookLines, focus === 'webhooks');
  if (split) otlp = webhooks = Math.max(otlp, webhooks);

  const minEvents = focus === 'events' ? Math.min(8, body) : 3;
  const bottom = () => (split ? otlp : otlp + webhooks);
  // Give the events pane its minimum by shrinking the others, largest first.
  while (body - sinks - bottom() < minEvents) {
    if (otlp > 2 && (split || otlp >= webhooks)) {
      otlp--;
      if (split) webhooks--;
    } else if (!split && webhooks > 2) webhooks--;
    else if (sinks > 2) sinks--;
    else break;
  }
  const events = Math.max(0, body - sinks - bottom());
  const leftWidth = split ? Math.floor(cols / 2) : cols;
  return { cols, rows, tooSmall: false, header, sourceLines, events, sinks, split, otlp, webhooks, leftWidth, rightWidth: split ? cols - leftWidth : 0, body };
}
