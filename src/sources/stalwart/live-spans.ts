import { SPAN_START_TO_END } from '../../catalogue/index.js';
import type { EventData, IncomingEvent, Value } from '../../runtime/event.js';

const MAX_OPEN = 60_000;

interface Start {
  data: EventData;
  keys: string[];
}
const PER_PAIR = 16;

/**
 * Live trace elements carry no span id but end with their parent span's keys (§0: own keys, then
 * the span start's keys, first occurrence kept). Like the replay source's SpanKeyFolder, this
 * takes that suffix off again; with no id to look the span up by, it recognises the suffix as the
 * keys and values of a recent span start (less any key the event has of its own, which wins),
 * and hands the span start's keys to the collector as the event's span, so logs print them
 * once, in front, as Stalwart's own tracers do. A suffix that matches no span start seen by this
 * source stays with the event's own keys.
 *
 * Span starts are indexed by their last two key/value pairs (and, as the last or the one before
 * may be shadowed by an own key, by the other two pairs of the last three), so an event costs
 * one or two map lookups and a check per candidate.
 */
export class LiveSpanFolder {
  private readonly byPair = new Map<string, Start[]>();
  private count = 0;

  fold(ev: IncomingEvent): void {
    if (ev.spanId !== undefined) return;
    const data = ev.data;
    const keys = Object.keys(data);
    const n = keys.length;
    if (n === 0) return;
    if (Object.hasOwn(SPAN_START_TO_END, ev.type)) {
      const start = { data, keys };
      const p = (i: number) => pair(keys[i]!, data[keys[i]!]!);
      const c = p(n - 1);
      if (n === 1) this.remember(c, start);
      else {
        const b = p(n - 2);
        this.remember(b + c, start);
        // The last or the one before may be shadowed by an own key of the event.
        this.remember(n === 2 ? b : p(n - 3) + b, start);
        this.remember(n === 2 ? c : p(n - 3) + c, start);
      }
      return;
    }
    if (this.count === 0) return;
    const z = pair(keys[n - 1]!, data[keys[n - 1]!]!);
    if (n >= 2 && this.tryFold(ev, keys, this.byPair.get(pair(keys[n - 2]!, data[keys[n - 2]!]!) + z))) return;
    this.tryFold(ev, keys, this.byPair.get(z));
  }

  private tryFold(ev: IncomingEvent, keys: string[], list: Start[] | undefined): boolean {
    if (list === undefined) return false;
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

  private remember(sig: string, span: Start): void {
    let list = this.byPair.get(sig);
    if (list === undefined) {
      if (this.byPair.size >= MAX_OPEN) this.byPair.delete(this.byPair.keys().next().value!);
      this.byPair.set(sig, (list = []));
    }
    if (list.length >= PER_PAIR) list.shift();
    list.push(span);
    this.count++;
  }
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

function pair(key: string, value: Value): string {
  return key + '\u0000' + (typeof value === 'object' && value !== null ? JSON.stringify(value) : typeof value + String(value));
}

function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
