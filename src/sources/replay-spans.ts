import { SPAN_ENDS, SPAN_START_TO_END } from '../catalogue/index.js';
import type { EventData, IncomingEvent, Value } from '../runtime/event.js';

const MAX_OPEN = 100_000;

/**
 * A webhook capture carries each event's parent span keys appended after its own (§3). This
 * strips that suffix again (keys equal, in name and value, to the span start's), so the
 * collector, which attaches span keys itself, does not print them twice. Events without a
 * known open span are left alone.
 */
export class SpanKeyFolder {
  private readonly open = new Map<string, EventData>();

  fold(ev: IncomingEvent): void {
    const id = ev.spanId;
    if (id === undefined) return;
    if (Object.hasOwn(SPAN_START_TO_END, ev.type)) {
      if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value!);
      this.open.set(id, ev.data);
      return;
    }
    const span = this.open.get(id);
    if (span === undefined) return;
    if (SPAN_ENDS.has(ev.type)) this.open.delete(id);
    const keys = Object.keys(ev.data);
    let cut = keys.length;
    while (cut > 0) {
      const k = keys[cut - 1]!;
      if (!Object.hasOwn(span, k) || !sameValue(span[k]!, ev.data[k]!)) break;
      cut--;
    }
    if (cut === keys.length) return;
    const own: EventData = {};
    for (let i = 0; i < cut; i++) own[keys[i]!] = ev.data[keys[i]!]!;
    ev.data = own;
  }
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
