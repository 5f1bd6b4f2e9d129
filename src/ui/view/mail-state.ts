import type { TelemetryEvent } from '../../runtime/event.js';
import type { Command } from '../../runtime/types.js';
import { nextSort, reverseSort, type SortState } from './table-sort.js';

/**
 * The mail views' part of the view state and reducer: the trail, the trail search, the domains
 * table and the security panel (overlays with a row cursor), the events histogram, the shared
 * sort keys and the read-only guard. `reduceMail` runs before the console's own reducer and
 * returns null for anything it does not handle.
 */
export type MailOverlay =
  | { kind: 'trail'; queueId: string; cursor: number; scroll: number; back?: Overlayish }
  | { kind: 'trails'; query: string; domain?: string; cursor: number; scroll: number; back?: Overlayish }
  | { kind: 'domains'; query: string; cursor: number; scroll: number }
  | { kind: 'security'; cursor: number; scroll: number };

/** Any overlay (the console's own union includes MailOverlay); kept loose to avoid a cycle. */
export type Overlayish = { kind: string; scroll: number; back?: Overlayish };

export const MAIL_KINDS = new Set(['trail', 'trails', 'domains', 'security']);
export const isMailOverlay = (o: Overlayish | null): o is MailOverlay => o !== null && MAIL_KINDS.has(o.kind);

/** What Enter on a row of a mail overlay opens. */
export type MailTarget = { event: TelemetryEvent } | { queueId: string } | { domain: string } | { query: string };

/** Tables that share the sort keys (`o` next column, `O` reverse). */
export type TableId = 'domains' | 'security' | 'sinks' | 'metrics';

export interface MailViewState {
  overlay: Overlayish | null;
  focus: string;
  histogram: boolean;
  /** Bucket under the histogram cursor, counted from the newest (0), or null: no cursor. */
  histCursor: number | null;
  sorts: Record<TableId, SortState>;
  draft: string | null;
  filterBefore: string;
  frozen: boolean;
  frozenSeq: number;
  cursor: number;
  scroll: number;
  flash: { text: string; at: number } | null;
}

export const initialMail = {
  histogram: false,
  histCursor: null as number | null,
  sorts: { domains: { col: 4, desc: false }, security: { col: 0, desc: false }, sinks: { col: 0, desc: false }, metrics: { col: 0, desc: false } } as Record<TableId, SortState>,
};

/** Columns each table sorts by (the sort key cycles through them). */
export const SORT_COLUMNS: Record<TableId, number> = { domains: 9, security: 4, sinks: 7, metrics: 2 };
const SORT_NAMES: Partial<Record<TableId, readonly string[]>> = {
  sinks: ['#', 'sink', 'state', 'ev/s', 'written', 'dropped', 'queue'],
  metrics: ['value', 'counter'],
};

export type MailAction =
  | { type: 'trail' }
  | { type: 'trail-search' }
  | { type: 'domains' }
  | { type: 'security' }
  | { type: 'histogram' }
  | { type: 'hist-move'; by: number }
  | { type: 'hist-jump' }
  | { type: 'sort-next' }
  | { type: 'sort-reverse' };

/** What the mail reducer reads from the frame; optional so older callers need not say it. */
export interface MailCtx {
  now: number;
  latestSeq: number;
  readOnly?: boolean;
  /** The selected event in the events pane. */
  selected?(): TelemetryEvent | undefined;
  /** The message an event belongs to (its queueId, or the message its span is linked to). */
  queueIdOf?(ev: TelemetryEvent): string | undefined;
  /** Rows of the open mail overlay and what each opens. */
  overlayRows?: number;
  overlayTarget?(i: number): MailTarget | undefined;
  /** The sinks pane's display order (indexes into the snapshot's sinks), when sorted. */
  sinkOrder?: readonly number[];
  /** Histogram buckets shown, and the events-pane cursor for a bucket (from the newest). */
  histBuckets?: number;
  histCursorFor?(bucketFromEnd: number): number;
  pageSize: number;
}

type Anyish = { type: string; [k: string]: unknown };

function flash<S extends MailViewState>(s: S, text: string, now: number): S {
  return { ...s, flash: { text, at: now } };
}

/** The table the sort keys act on in this state, if any. */
export function sortTable(s: MailViewState): TableId | null {
  const k = s.overlay?.kind;
  if (k === 'domains' || k === 'security' || k === 'metrics') return k;
  if (!s.overlay && s.focus === 'sinks') return 'sinks';
  return null;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function moveBy(by: unknown, page: number, size: number): number {
  if (by === 'page-up') return -page;
  if (by === 'page-down') return page;
  if (by === 'top') return -size;
  if (by === 'bottom') return size;
  return by as number;
}

function openTarget<S extends MailViewState>(s: S, o: MailOverlay, t: MailTarget | undefined): S {
  if (!t) return s;
  if ('event' in t) return { ...s, overlay: { kind: 'event', event: t.event, scroll: 0, back: o } };
  if ('queueId' in t) return { ...s, overlay: { kind: 'trail', queueId: t.queueId, cursor: 0, scroll: 0, back: o } };
  if ('query' in t) return { ...s, overlay: { kind: 'trails', query: t.query, cursor: 0, scroll: 0, back: o } };
  return { ...s, overlay: { kind: 'trails', query: '', domain: t.domain, cursor: 0, scroll: 0, back: o } };
}

/** The mail part of the reducer; null: not mine, the console's reducer handles it. */
export function reduceMail<S extends MailViewState>(s: S, a: Anyish, ctx: MailCtx): { state: S; command?: Command } | null {
  const o = s.overlay;
  const mine = isMailOverlay(o) ? o : null;
  const typed = mine !== null && (mine.kind as string) !== 'trail' && (mine.kind as string) !== 'security';
  switch (a.type) {
    case 'toggle-sink':
    case 'push':
    case 'flush':
      return ctx.readOnly ? { state: flash(s, 'read-only: sink toggles, push now and flush are disabled (--read-only)', ctx.now) } : null;
    case 'trail': {
      const ev = ctx.selected?.();
      if (!ev) return { state: s };
      const queueId = ctx.queueIdOf?.(ev);
      if (!queueId) return { state: flash(s, 'this event belongs to no message the trail index knows (no queueId, no linked span)', ctx.now) };
      return { state: { ...s, overlay: { kind: 'trail', queueId, cursor: 0, scroll: 0 }, frozen: true, frozenSeq: s.frozen ? s.frozenSeq : ctx.latestSeq } };
    }
    case 'trail-search':
      return { state: { ...s, overlay: { kind: 'trails', query: '', cursor: 0, scroll: 0 }, draft: '', filterBefore: '' } };
    case 'domains':
      return { state: { ...s, overlay: o?.kind === 'domains' ? null : { kind: 'domains', query: '', cursor: 0, scroll: 0 } } };
    case 'security':
      return { state: { ...s, overlay: o?.kind === 'security' ? null : { kind: 'security', cursor: 0, scroll: 0 } } };
    case 'histogram':
      return { state: flash({ ...s, histogram: !s.histogram, histCursor: null }, s.histogram ? 'histogram hidden' : 'histogram: ←/→ pick a time, Enter jumps the list', ctx.now) };
    case 'hist-move': {
      const buckets = ctx.histBuckets ?? 0;
      if (!s.histogram || buckets === 0) return { state: s };
      const cur = s.histCursor ?? -1;
      return { state: { ...s, histCursor: clamp(cur - (a.by as number), 0, buckets - 1) } };
    }
    case 'hist-jump': {
      if (s.histCursor === null) return { state: s };
      const cursor = ctx.histCursorFor?.(s.histCursor) ?? 0;
      const scroll = Math.max(0, cursor - Math.floor(ctx.pageSize / 2));
      return { state: { ...s, histCursor: null, cursor, scroll, frozen: true, frozenSeq: s.frozen ? s.frozenSeq : ctx.latestSeq } };
    }
    case 'sort-next':
    case 'sort-reverse': {
      const t = sortTable(s);
      if (!t) return { state: flash(s, 'nothing to sort here: o / O sort the domains, security, sinks and metrics tables', ctx.now) };
      const cur = s.sorts[t];
      const next = a.type === 'sort-next' ? nextSort(cur, SORT_COLUMNS[t]) : reverseSort(cur);
      const names = SORT_NAMES[t];
      const st = { ...s, sorts: { ...s.sorts, [t]: next } };
      return { state: names ? flash(st, `${t} sorted by ${names[next.col]}${next.desc ? ', reversed' : ''}`, ctx.now) : st };
    }
    case 'close':
      if (o?.back) return { state: { ...s, overlay: o.back } };
      if (s.histCursor !== null && !o) return { state: { ...s, histCursor: null } };
      return null;
    case 'move': {
      if (!mine) return null;
      const rows = ctx.overlayRows ?? 0;
      const d = moveBy(a.by, Math.max(1, ctx.pageSize - 1), rows);
      return { state: { ...s, overlay: { ...mine, cursor: clamp(mine.cursor + d, 0, Math.max(0, rows - 1)) } } };
    }
    case 'open':
      return mine ? { state: openTarget(s, mine, ctx.overlayTarget?.(mine.cursor)) } : null;
    // `/` in the trail search and the domains table types their query, not the events filter.
    case 'filter-open':
      if (!mine || !typed) return null;
      return { state: { ...s, draft: (mine as { query: string }).query, filterBefore: (mine as { query: string }).query } };
    case 'filter-type':
    case 'filter-back':
    case 'filter-clear':
    case 'filter-cancel':
    case 'filter-commit': {
      if (!mine || !typed || s.draft === null) return null;
      let q = s.draft;
      if (a.type === 'filter-type') q += a.text as string;
      if (a.type === 'filter-back') q = Array.from(q).slice(0, -1).join('');
      if (a.type === 'filter-clear') q = '';
      if (a.type === 'filter-cancel') q = s.filterBefore;
      const draft = a.type === 'filter-commit' || a.type === 'filter-cancel' ? null : q;
      return { state: { ...s, draft, overlay: { ...mine, query: q, cursor: 0 } } };
    }
  }
  return null;
}
