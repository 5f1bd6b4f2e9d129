import { SPAN_ENDS, SPAN_START_TO_END } from '../catalogue/index.js';
import type { EventData, IncomingEvent } from '../runtime/event.js';

const MAX_OPEN = 100_000;

/** 1 for a span's start event, 2 for its end: one lookup per event. */
const SPAN_KIND = new Map<string, 1 | 2>();
for (const start of Object.keys(SPAN_START_TO_END)) SPAN_KIND.set(start, 1);
for (const end of SPAN_ENDS) SPAN_KIND.set(end, 2);

type Data = Record<string, unknown>;

/**
 * A webhook capture carries each event's parent span keys appended after its own (docs/stalwart.md §3). This
 * strips that suffix again (keys equal, in name and value, to the span start's), so the
 * collector, which attaches span keys itself, does not print them twice. Events without a
 * known open span are left alone.
 *
 * `keep` is the parser's `KeepKeys` hook: it runs on the parsed data before the event is built
 * and answers how many own keys to keep, so folding allocates nothing per event.
 */
export class SpanKeyFolder {
  private readonly open = new Map<string, Data>();

  /** `foldEvent(this, ev)`: for an event parsed without the hook. */
  fold(ev: IncomingEvent): void {
    foldEvent(this, ev);
  }

  readonly keep = (type: string, spanId: string | undefined, data: Data): number => {
    if (spanId === undefined) return Infinity;
    const kind = SPAN_KIND.get(type);
    if (kind === 1) {
      if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value!);
      this.open.set(spanId, data);
      return Infinity;
    }
    const span = this.open.get(spanId);
    if (span === undefined) return Infinity;
    if (kind === 2) this.open.delete(spanId);
    // Keep everything up to the last key that differs from the span start's.
    let n = 0;
    let cut = 0;
    for (const k in data) {
      if (k === 'spanId') continue;
      n++;
      // JSON values are never undefined: undefined is a key the span start lacks.
      const a = span[k];
      const b = data[k];
      if (a === b ? k === '__proto__' : a === undefined || typeof a !== 'object' || !sameValue(a, b) || !Object.hasOwn(span, k)) cut = n;
    }
    return cut;
  };
}

/**
 * The same folding applied to an event already parsed (tests and tools that parse without the
 * hook): its data is cut to the keys `keep` says.
 */
export function foldEvent(folder: SpanKeyFolder, ev: IncomingEvent): void {
  const n = folder.keep(ev.type, ev.spanId, ev.data);
  let i = 0;
  let own: EventData | undefined;
  for (const k in ev.data) {
    if (i++ >= n) break;
    (own ??= {})[k] = ev.data[k]!;
  }
  if (i > n) ev.data = own ?? {};
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // Arrays (recipient lists repeated by every event of a span) item by item, no JSON built.
  const list = Array.isArray(a);
  if (list !== Array.isArray(b)) return false;
  if (list) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
