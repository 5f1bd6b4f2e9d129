import { LEVELS } from '../../catalogue/levels.js';
import type { Level } from '../../catalogue/types.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { Command } from '../../runtime/types.js';
import { initialMail, reduceMail, type MailAction, type MailCtx, type MailOverlay, type Overlayish, type TableId } from './mail-state.js';
import type { SortState } from './table-sort.js';

/**
 * The view state of the console and its pure reducer. Everything the keys change lives here;
 * the runtime's numbers do not (they are sampled from `snapshot()` each frame). A reducer
 * step may also ask for a runtime command; quitting is the state's `quitting` flag (App
 * starts the graceful stop when it turns on).
 */
export type PaneId = 'events' | 'sinks' | 'otlp' | 'webhooks';
export const PANES: readonly PaneId[] = ['events', 'sinks', 'otlp', 'webhooks'];

export type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'messages'; scroll: number }
  | { kind: 'event'; event: TelemetryEvent; scroll: number; back?: Overlayish }
  | { kind: 'sink'; id: string; scroll: number }
  | { kind: 'webhook'; id: string; scroll: number }
  | { kind: 'metrics'; scroll: number }
  | MailOverlay;

/** The metrics overlay's counting window: since the runtime started, or since the console opened. */
export type MetricsView = 'total' | 'since-mark';

export interface ViewState {
  focus: PaneId;
  overlay: Overlay | null;
  /** The events filter in effect (applied live while typing). */
  filter: string;
  /** Text being typed after `/`, or null; `filterBefore` is restored by Esc. */
  draft: string | null;
  filterBefore: string;
  minLevel: Level;
  /** Events pane: frozen at `frozenSeq` (newer events wait behind a "+N new" badge). */
  frozen: boolean;
  frozenSeq: number;
  /** Events pane: selected row and bottom of the window, counted from the newest row. */
  cursor: number;
  scroll: number;
  sinkCursor: number;
  otlpScroll: number;
  /** Webhooks pane: the selected webhook (its attempts are shown, Enter opens its detail). */
  webhookCursor: number;
  /** Kept when the metrics overlay closes, so it reopens on the same view. */
  metricsView: MetricsView;
  flash: { text: string; at: number } | null;
  quitting: boolean;
  /** The mail views (view/mail-state.ts): histogram, its cursor, one sort per table. */
  histogram: boolean;
  histCursor: number | null;
  sorts: Record<TableId, SortState>;
}

export const initialState: ViewState = {
  focus: 'events',
  overlay: null,
  filter: '',
  draft: null,
  filterBefore: '',
  minLevel: 'trace',
  frozen: false,
  frozenSeq: 0,
  cursor: 0,
  scroll: 0,
  sinkCursor: 0,
  otlpScroll: 0,
  webhookCursor: 0,
  metricsView: 'total',
  flash: null,
  quitting: false,
  ...initialMail,
};

export type Move = number | 'page-up' | 'page-down' | 'top' | 'bottom';

export type Action =
  | { type: 'focus'; dir: 1 | -1 }
  | { type: 'move'; by: Move }
  /** `n`: 1-based sink number; without it, the selected sink (sinks pane or sink detail). */
  | { type: 'toggle-sink'; n?: number }
  | { type: 'freeze' }
  | { type: 'cycle-level' }
  | { type: 'filter-open' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-back' }
  | { type: 'filter-clear' }
  | { type: 'filter-commit' }
  | { type: 'filter-cancel' }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'help' }
  | { type: 'messages' }
  | { type: 'metrics' }
  /** In the metrics overlay: switch between since start and since the console opened. */
  | { type: 'metrics-view' }
  | { type: 'push' }
  | { type: 'flush' }
  | { type: 'pause' }
  /** Start or stop recording every event to a file (`R`). */
  | { type: 'record' }
  /** Save the events matching the filter from the history to a file (`S`). */
  | { type: 'save' }
  | { type: 'quit' }
  | MailAction;

/** What the reducer needs to know about the current frame. */
export interface Ctx extends MailCtx {
  now: number;
  /** Sink ids in snapshot order (row N is `sinkIds[N-1]`). */
  sinkIds: readonly string[];
  /** Rows in the events list as shown (up to the freeze point) and the newest seq in it. */
  eventCount: number;
  latestSeq: number;
  /** The event `fromEnd` rows above the newest shown one. */
  eventAt(fromEnd: number): TelemetryEvent | undefined;
  /** Webhook ids in snapshot order (the webhooks pane's rows). */
  webhookIds: readonly string[];
  pushCount: number;
  otlpConfigured: boolean;
  webhooksConfigured: boolean;
  paused: boolean;
  /** The file being recorded into, while recording. */
  recording?: string;
  /** Every event in the history matching the filter and level, oldest first. */
  matching(): readonly TelemetryEvent[];
  /** Rows the focused pane (or open overlay) shows, and the overlay's total lines. */
  pageSize: number;
  overlayLines: number;
}

export interface Step {
  state: ViewState;
  command?: Command;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function delta(by: Move, page: number, size: number): number {
  if (by === 'page-up') return -page;
  if (by === 'page-down') return page;
  if (by === 'top') return -size;
  if (by === 'bottom') return size;
  return by;
}

function moveEvents(s: ViewState, by: Move, ctx: Ctx): ViewState {
  if (by === 'bottom') return { ...s, frozen: false, cursor: 0, scroll: 0 };
  const d = delta(by, Math.max(1, ctx.pageSize - 1), ctx.eventCount);
  const max = Math.max(0, ctx.eventCount - 1);
  let next = { ...s };
  if (d < 0 && !s.frozen) next = { ...next, frozen: true, frozenSeq: ctx.latestSeq };
  next.cursor = clamp(s.cursor - d, 0, max);
  return keepVisible(next, ctx.pageSize);
}

function keepVisible(s: ViewState, page: number): ViewState {
  let scroll = s.scroll;
  if (s.cursor < scroll) scroll = s.cursor;
  if (s.cursor >= scroll + page) scroll = s.cursor - page + 1;
  return scroll === s.scroll ? s : { ...s, scroll: Math.max(0, scroll) };
}

function move(s: ViewState, by: Move, ctx: Ctx): ViewState {
  if (s.overlay) {
    const max = Math.max(0, ctx.overlayLines - ctx.pageSize);
    const d = delta(by, Math.max(1, ctx.pageSize - 1), ctx.overlayLines);
    return { ...s, overlay: { ...s.overlay, scroll: clamp(s.overlay.scroll + d, 0, max) } };
  }
  switch (s.focus) {
    case 'events':
      return moveEvents(s, by, ctx);
    case 'sinks':
      return { ...s, sinkCursor: clamp(s.sinkCursor + delta(by, ctx.pageSize, ctx.sinkIds.length), 0, Math.max(0, ctx.sinkIds.length - 1)) };
    case 'otlp':
      return { ...s, otlpScroll: clamp(s.otlpScroll + delta(by, ctx.pageSize, ctx.pushCount), 0, Math.max(0, ctx.pushCount - 1)) };
    case 'webhooks':
      return { ...s, webhookCursor: clamp(s.webhookCursor + delta(by, ctx.pageSize, ctx.webhookIds.length), 0, Math.max(0, ctx.webhookIds.length - 1)) };
  }
}

const flash = (s: ViewState, text: string, ctx: Ctx): ViewState => ({ ...s, flash: { text, at: ctx.now } });
const resetEvents = (s: ViewState): ViewState => ({ ...s, cursor: 0, scroll: 0 });

function toggleSink(s: ViewState, n: number | undefined, ctx: Ctx): Step {
  let id: string | undefined;
  if (n !== undefined) id = ctx.sinkIds[n - 1];
  else if (s.overlay?.kind === 'sink' || s.overlay?.kind === 'webhook') id = s.overlay.id;
  else if (s.focus === 'sinks') id = ctx.sinkIds[ctx.sinkOrder?.[s.sinkCursor] ?? s.sinkCursor];
  else if (s.focus === 'webhooks') id = ctx.webhookIds[s.webhookCursor];
  if (id === undefined) return { state: flash(s, n !== undefined ? `there is no sink ${n}` : 'no sink selected', ctx) };
  return { state: flash(s, `toggled sink ${id}`, ctx), command: { kind: 'toggle-sink', id } };
}

function open(s: ViewState, ctx: Ctx): ViewState {
  if (s.overlay) return s;
  if (s.focus === 'events') {
    const event = ctx.eventAt(s.cursor);
    if (!event) return s;
    const frozen = s.frozen ? s : { ...s, frozen: true, frozenSeq: ctx.latestSeq };
    return { ...frozen, overlay: { kind: 'event', event, scroll: 0 } };
  }
  if (s.focus === 'sinks') {
    const id = ctx.sinkIds[ctx.sinkOrder?.[s.sinkCursor] ?? s.sinkCursor];
    return id === undefined ? s : { ...s, overlay: { kind: 'sink', id, scroll: 0 } };
  }
  if (s.focus === 'webhooks') {
    const id = ctx.webhookIds[s.webhookCursor];
    return id === undefined ? s : { ...s, overlay: { kind: 'webhook', id, scroll: 0 } };
  }
  return s;
}

export function reduce(s: ViewState, a: Action, ctx: Ctx): Step {
  const mail = reduceMail(s, a, ctx);
  if (mail) return mail;
  switch (a.type) {
    case 'focus': {
      const i = PANES.indexOf(s.focus);
      return { state: { ...s, focus: PANES[(i + a.dir + PANES.length) % PANES.length]! } };
    }
    case 'move':
      return { state: move(s, a.by, ctx) };
    case 'toggle-sink':
      return toggleSink(s, a.n, ctx);
    case 'freeze':
      return { state: s.frozen ? { ...s, frozen: false, cursor: 0, scroll: 0 } : { ...s, frozen: true, frozenSeq: ctx.latestSeq } };
    case 'cycle-level':
      return { state: resetEvents({ ...s, minLevel: LEVELS[(LEVELS.indexOf(s.minLevel) + 1) % LEVELS.length]! }) };
    case 'filter-open':
      return { state: { ...s, draft: s.filter, filterBefore: s.filter } };
    case 'filter-type':
      return s.draft === null ? { state: s } : { state: resetEvents({ ...s, draft: s.draft + a.text, filter: s.draft + a.text }) };
    case 'filter-back': {
      if (s.draft === null) return { state: s };
      const draft = Array.from(s.draft).slice(0, -1).join('');
      return { state: resetEvents({ ...s, draft, filter: draft }) };
    }
    case 'filter-clear':
      return { state: s.draft === null ? s : resetEvents({ ...s, draft: '', filter: '' }) };
    case 'filter-commit':
      return { state: { ...s, draft: null } };
    case 'filter-cancel':
      return { state: resetEvents({ ...s, draft: null, filter: s.filterBefore }) };
    case 'open':
      return { state: open(s, ctx) };
    case 'close':
      return { state: s.overlay ? { ...s, overlay: null } : { ...s, flash: null } };
    case 'help':
      return { state: { ...s, overlay: s.overlay?.kind === 'help' ? null : { kind: 'help', scroll: 0 } } };
    case 'messages':
      return { state: { ...s, overlay: s.overlay?.kind === 'messages' ? null : { kind: 'messages', scroll: 0 } } };
    case 'metrics':
      return { state: { ...s, overlay: s.overlay?.kind === 'metrics' ? null : { kind: 'metrics', scroll: 0 } } };
    case 'metrics-view': {
      if (s.overlay?.kind !== 'metrics') return { state: s };
      const metricsView: MetricsView = s.metricsView === 'total' ? 'since-mark' : 'total';
      const text = metricsView === 'total' ? 'metrics since start' : 'metrics since the console opened';
      return { state: flash({ ...s, metricsView, overlay: { kind: 'metrics', scroll: 0 } }, text, ctx) };
    }
    case 'push':
      if (!ctx.otlpConfigured) return { state: flash(s, 'OTLP metrics exporter not configured: see the OTLP pane', ctx) };
      return { state: flash(s, 'OTLP push requested', ctx), command: { kind: 'push-metrics' } };
    case 'flush':
      if (!ctx.webhooksConfigured) return { state: flash(s, 'no webhook configured: see the webhooks pane', ctx) };
      return { state: flash(s, 'webhook flush requested', ctx), command: { kind: 'flush-webhooks' } };
    case 'pause':
      return { state: flash(s, ctx.paused ? 'sources resumed' : 'sources paused', ctx), command: { kind: 'pause', paused: !ctx.paused } };
    case 'record':
      if (ctx.recording) return { state: flash(s, `recording stopped: ${ctx.recording}`, ctx), command: { kind: 'record', on: false } };
      return { state: flash(s, 'recording every event: the file is named on the header line (R stops)', ctx), command: { kind: 'record', on: true } };
    case 'save': {
      const events = ctx.matching();
      if (events.length === 0) return { state: flash(s, 'no event matches the filter: nothing to save', ctx) };
      return { state: flash(s, `saving ${events.length} matching events to mailtel-<time>-saved.ndjson…`, ctx), command: { kind: 'save-events', events } };
    }
    case 'quit':
      return s.quitting ? { state: s } : { state: { ...s, quitting: true, overlay: null, draft: null } };
    default:
      return { state: s };
  }
}
