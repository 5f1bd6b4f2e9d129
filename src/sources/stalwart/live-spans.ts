import { SPAN_START_TO_END } from '../../catalogue/index.js';
import type { EventData, IncomingEvent, Value } from '../../runtime/event.js';

const SPAN_STARTS: ReadonlySet<string> = new Set(Object.keys(SPAN_START_TO_END));

/** Span starts remembered; the oldest is forgotten past this (its span has surely ended). */
const MAX_OPEN = 20_000;
/** Span starts kept per indexed value (the newest win). */
const PER_SLOT = 16;

/** A value as a Map key: primitives as they are, objects and arrays by their JSON. */
type Slot = string | number | boolean | null;

interface Start {
  data: EventData;
  keys: string[];
  /** Its values, in the order of `keys`. */
  values: Value[];
  /** Its last key's value, and the one before (undefined for a one-key start). */
  last: Slot;
  prev: Slot | undefined;
}

/**
 * Live trace elements of v0.15 carry no span id but end with their parent span's keys
 * (docs/stalwart.md §0: own keys, then the span start's keys, first occurrence kept). Like the
 * replay source's SpanKeyFolder, this takes that suffix off again; with no id to look the span
 * up by, it recognises the suffix as the keys and values of a recent span start (less any key
 * the event has of its own, which wins), and hands the span start's keys to the collector as the
 * event's span, so logs print them once, in front, as Stalwart's own tracers do. A suffix that
 * matches no span start seen by this source stays with the event's own keys.
 *
 * Span starts are indexed by the value of their last key, and by the value of the key before
 * (the last may be shadowed by an own key of the event): an event costs one map lookup by its
 * last value (two when nothing folds) and a check per candidate, with no string built. The
 * oldest starts are forgotten past MAX_OPEN.
 */
export class LiveSpanFolder {
  private readonly byLast = new Map<Slot, Start[]>();
  private readonly byPrev = new Map<Slot, Start[]>();
  private readonly order: Start[] = [];
  private head = 0;

  /** True when `fold` would leave an event of `type` without a span id as it is and learn nothing from it. */
  idle(type: string): boolean {
    return this.order.length === this.head && !SPAN_STARTS.has(type);
  }

  fold(ev: IncomingEvent): void {
    if (ev.spanId !== undefined) return;
    const data = ev.data;
    if (SPAN_STARTS.has(ev.type)) {
      const keys = Object.keys(data);
      if (keys.length > 0) this.remember(data, keys);
      return;
    }
    if (this.order.length === this.head) return;
    const keys = Object.keys(data);
    const n = keys.length;
    if (n === 0) return;
    const v = slot(data[keys[n - 1]!]!);
    const list = this.byLast.get(v);
    if (list !== undefined && this.tryFold(ev, keys, list)) return;
    const shadowed = this.byPrev.get(v);
    if (shadowed !== undefined) this.tryFold(ev, keys, shadowed);
  }

  /** Entries in the index (distinct last and next-to-last values of recent span starts): at most 2 x MAX_OPEN. */
  get indexed(): number {
    return this.byLast.size + this.byPrev.size;
  }

  private tryFold(ev: IncomingEvent, keys: string[], list: Start[]): boolean {
    const data = ev.data;
    for (let c = list.length - 1; c >= 0; c--) {
      const cut = suffixCut(data, keys, list[c]!);
      if (cut < 0) continue;
      const own: EventData = {};
      for (let i = 0; i < cut; i++) own[keys[i]!] = data[keys[i]!]!;
      ev.data = own;
      ev.span = list[c]!.data;
      return true;
    }
    return false;
  }

  private remember(data: EventData, keys: string[]): void {
    const n = keys.length;
    const values = Object.values(data);
    const start: Start = { data, keys, values, last: slot(values[n - 1]!), prev: n >= 2 ? slot(values[n - 2]!) : undefined };
    add(this.byLast, start.last, start);
    if (start.prev !== undefined) add(this.byPrev, start.prev, start);
    this.order.push(start);
    if (this.order.length - this.head > MAX_OPEN) this.forget(this.order[this.head++]!);
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  private forget(start: Start): void {
    remove(this.byLast, start.last, start);
    if (start.prev !== undefined) remove(this.byPrev, start.prev, start);
  }
}

function add(index: Map<Slot, Start[]>, key: Slot, start: Start): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [start]);
  else {
    if (list.length >= PER_SLOT) list.shift();
    list.push(start);
  }
}

function remove(index: Map<Slot, Start[]>, key: Slot, start: Start): void {
  const list = index.get(key);
  if (list === undefined) return;
  const i = list.indexOf(start);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(key);
}

/** The index key of a value; its type and any object's contents are checked later, by suffixCut. */
function slot(value: Value): Slot {
  return typeof value === 'object' && value !== null ? '\u0000' + JSON.stringify(value) : value;
}

/**
 * Where the span's keys start in `keys`, or -1: walking both from the end, each span key is
 * either the event's next key from the end with an equal value, or one of the event's own
 * keys before that point (shadowed: the event's value won). At least two span keys (one for a
 * one-key start) must be matched, not shadowed: a lone equal last value is no evidence.
 */
function suffixCut(data: EventData, keys: string[], start: Start): number {
  const sk = start.keys;
  const sv = start.values;
  let j = keys.length - 1;
  let shadowed: string[] | undefined;
  let matched = 0;
  for (let i = sk.length - 1; i >= 0; i--) {
    const k = sk[i]!;
    if (j >= 0 && keys[j] === k && same(data[k]!, sv[i]!)) {
      j--;
      matched++;
      continue;
    }
    if (keys.indexOf(k) < 0) return -1;
    (shadowed ??= []).push(k);
  }
  const cut = j + 1;
  if (matched < Math.min(2, sk.length)) return -1;
  if (shadowed) for (const k of shadowed) if (keys.indexOf(k) >= cut) return -1;
  return cut;
}

function same(a: Value, b: Value): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}
