import { SPAN_START_TO_END } from '../../catalogue/index.js';
import type { EventData, IncomingEvent } from '../../runtime/event.js';

const MAX_OPEN = 20_000;

/**
 * Live trace elements carry no span id but end with their parent span's keys (§0: own keys, then
 * the span start's keys, first occurrence kept). Like the replay source's SpanKeyFolder, this
 * takes that suffix off again; with no id to look the span up by, it recognises the suffix as
 * the exact keys and values of a recent span start, and hands those keys to the collector as the
 * event's span, so logs print them once, in front, as Stalwart's own tracers do. A suffix that
 * matches no span start seen on this connection is left as the event's own keys.
 */
export class LiveSpanFolder {
  /** Span starts by the signature of all their keys, and of all but one (`drop`). */
  private readonly starts = new Map<string, { data: EventData; drop?: string }>();

  fold(ev: IncomingEvent): void {
    if (ev.spanId !== undefined) return;
    if (Object.hasOwn(SPAN_START_TO_END, ev.type)) {
      const keys = Object.keys(ev.data);
      if (keys.length === 0) return;
      // An event with a key of its own that the span also has keeps its own value, and the
      // span's copy is left out of the suffix (first occurrence wins): index that shape too.
      this.remember(signature(ev.data, keys, undefined), { data: ev.data });
      if (keys.length > 1) for (const k of keys) this.remember(signature(ev.data, keys, k), { data: ev.data, drop: k });
      return;
    }
    if (this.starts.size === 0) return;
    const keys = Object.keys(ev.data);
    let sig = '';
    // Longest suffix first would need every length; walk from the end and keep the longest hit.
    let hit: EventData | undefined;
    let cut = -1;
    for (let i = keys.length - 1; i > 0; i--) {
      sig = part(keys[i]!, ev.data[keys[i]!]) + sig;
      const span = this.starts.get(sig);
      if (span !== undefined && (span.drop === undefined || keys.indexOf(span.drop) < i)) {
        hit = span.data;
        cut = i;
      }
    }
    if (hit === undefined) return;
    const own: EventData = {};
    for (let i = 0; i < cut; i++) own[keys[i]!] = ev.data[keys[i]!]!;
    ev.data = own;
    ev.span = hit;
  }

  private remember(sig: string, entry: { data: EventData; drop?: string }): void {
    const old = this.starts.get(sig);
    // A full match outranks a one-key-short one.
    if (old !== undefined && old.drop === undefined && entry.drop !== undefined) return;
    this.starts.delete(sig);
    if (this.starts.size >= MAX_OPEN) this.starts.delete(this.starts.keys().next().value!);
    this.starts.set(sig, entry);
  }
}

function part(key: string, value: unknown): string {
  return key + '\u0000' + (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value) + typeof value) + '\u0001';
}

function signature(data: EventData, keys: string[], drop: string | undefined): string {
  let s = '';
  for (const k of keys) if (k !== drop) s += part(k, data[k]);
  return s;
}
