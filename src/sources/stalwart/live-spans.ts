import { SPAN_START_TO_END } from '../../catalogue/index.js';
import type { EventData, IncomingEvent, Value } from '../../runtime/event.js';

/** Span starts remembered; the oldest is forgotten past this (its span has surely ended). */
const MAX_OPEN = 20_000;
const PER_SLOT = 16;

interface Start {
  data: EventData;
  keys: string[];
  /** The index entries it was put in, to take it out again when forgotten. */
  slots: string[];
}

/**
 * Live trace elements carry no span id but end with their parent span's keys (docs/stalwart.md §0: own keys, then
 * the span start's keys, first occurrence kept). Like the replay source's SpanKeyFolder, this
 * takes that suffix off again; with no id to look the span up by, it recognises the suffix as the
 * keys and values of a recent span start (less any key the event has of its own, which wins),
 * and hands the span start's keys to the collector as the event's span, so logs print them
 * once, in front, as Stalwart's own tracers do. A suffix that matches no span start seen by this
 * source stays with the event's own keys.
 *
 * Span starts are indexed by their last two key/value pairs (and, as the last or the one before
 * may be shadowed by an own key, by the other two pairs of the last three): an event costs one
 * or two map lookups and a check per candidate. The oldest starts are forgotten past MAX_OPEN.
 */
export class LiveSpanFolder {
  private readonly index = new Map<string, Start[]>();
  private readonly order: Start[] = [];
  private head = 0;

  fold(ev: IncomingEvent): void {
    if (ev.spanId !== undefined) return;
    const data = ev.data;
    const keys = Object.keys(data);
    const n = keys.length;
    if (n === 0) return;
    if (Object.hasOwn(SPAN_START_TO_END, ev.type)) return this.remember(data, keys);
    if (this.order.length === this.head) return;
    const z = part(keys[n - 1]!, data[keys[n - 1]!]!);
    if (n >= 2) {
      const list = this.index.get(part(keys[n - 2]!, data[keys[n - 2]!]!) + z);
      if (list !== undefined && this.tryFold(ev, keys, list)) return;
    }
    const list = this.index.get(z);
    if (list !== undefined) this.tryFold(ev, keys, list);
  }

  /** Entries in the index (distinct tails of recent span starts): at most 3 x MAX_OPEN. */
  get indexed(): number {
    return this.index.size;
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
    const p = (i: number) => part(keys[i]!, data[keys[i]!]!);
    const c = p(n - 1);
    let slots: string[];
    if (n === 1) slots = [c];
    else {
      const b = p(n - 2);
      // The last or the one before may be shadowed by an own key of the event.
      const a = n === 2 ? '' : p(n - 3);
      slots = [b + c, a + b, a + c];
    }
    const start: Start = { data, keys, slots };
    for (const key of slots) {
      let list = this.index.get(key);
      if (list === undefined) this.index.set(key, (list = []));
      else if (list.length >= PER_SLOT) list.shift();
      list.push(start);
    }
    this.order.push(start);
    if (this.order.length - this.head > MAX_OPEN) this.forget(this.order[this.head++]!);
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  private forget(start: Start): void {
    for (const key of start.slots) {
      const list = this.index.get(key);
      if (list === undefined) continue;
      const i = list.indexOf(start);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.index.delete(key);
    }
  }
}

/** One key/value pair of an index key; a value's type is checked later, by suffixCut. */
function part(key: string, value: Value): string {
  return key + '\u0000' + (typeof value === 'object' && value !== null ? JSON.stringify(value) : value) + '\u0001';
}

/**
 * Where the span's keys start in `keys`, or -1: walking both from the end, each span key is
 * either the event's next key from the end with an equal value, or one of the event's own
 * keys before that point (shadowed: the event's value won).
 */
function suffixCut(data: EventData, keys: string[], start: Start): number {
  const span = start.data;
  const sk = start.keys;
  let j = keys.length - 1;
  let shadowed: string[] | undefined;
  for (let i = sk.length - 1; i >= 0; i--) {
    const k = sk[i]!;
    if (j >= 0 && keys[j] === k && same(data[k]!, span[k]!)) {
      j--;
      continue;
    }
    if (!Object.hasOwn(data, k)) return -1;
    (shadowed ??= []).push(k);
  }
  const cut = j + 1;
  if (cut === keys.length) return -1;
  if (shadowed) for (const k of shadowed) if (keys.indexOf(k) >= cut) return -1;
  return cut;
}

function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
