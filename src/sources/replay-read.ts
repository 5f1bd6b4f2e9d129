import type { ColumnWriter } from '../format/event-columns.js';
import type { ParsedEvents } from '../format/json-parse.js';
import { plainEvent, readPlainEvent } from '../format/plain-event.js';
import { readParsedRecordInto, readRecordInto } from '../record/read.js';
import type { IncomingEvent } from '../runtime/event.js';
import { isBlank } from './replay-lines.js';
import { SpanKeyFolder } from './replay-spans.js';
import { LiveSpanFolder } from './stalwart/live-spans.js';

/**
 * Reads a replay's lines one by one, as replay.ts's main-thread pass and the replay thread
 * (replay-worker.ts) both do: a byte-order mark off the first line, blank lines skipped, the
 * line parsed (a recording's `ownKeys` says which keys are the event's own, record/read.ts; any
 * other line reads as a webhook capture) and span keys folded back, with one folder of each kind
 * per pass. `parsed` holds the line's events and rejections until the next line is read.
 */
export class ReplayLineReader {
  readonly parsed: ParsedEvents = { events: [], errors: [] };
  private readonly spans = new SpanKeyFolder();
  private readonly liveSpans = new LiveSpanFolder();
  private readonly plain = plainEvent();

  /**
   * Reads line `lineNo` (from 1); false for a blank line, which leaves `parsed` as it was.
   * A line that is one plain event (format/plain-event.ts, nearly every line of a webhook
   * capture) is read from its parsed object once, folded as it is read; with `writer` (the
   * replay thread's) it goes straight into it with no event object built, and `parsed` is left
   * empty. Other lines are read the general way (record/read.ts) into `parsed`.
   */
  read(raw: string, lineNo: number, writer?: ColumnWriter): boolean {
    const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (isBlank(line)) return false;
    const { events, errors } = this.parsed;
    // Emptied by pop, inlined, rather than the length setter (a runtime call per line).
    while (events.length > 0) events.pop();
    if (errors.length > 0) errors.length = 0;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      readRecordInto(line, this.spans.keep, this.parsed); // says where the JSON breaks
      return true;
    }
    if (this.readPlain(value, line, writer)) return true;
    readParsedRecordInto(line, value, this.spans.keep, this.parsed);
    // Events with a span id were folded while parsing (spans.keep); live-trace ones are folded here.
    for (let i = 0; i < events.length; i++) if (events[i]!.spanId === undefined) this.liveSpans.fold(events[i]!);
    return true;
  }

  private readPlain(value: unknown, line: string, writer: ColumnWriter | undefined): boolean {
    const p = this.plain;
    if (!readPlainEvent(value, line, p)) return false;
    // An event without a span id may be a live-trace one whose span keys the live folder takes off.
    if (p.spanId === undefined && !this.liveSpans.idle(p.type)) return false;
    const kept = p.data === undefined ? 0 : Math.min(p.n, this.spans.keep(p.type, p.spanId, p.data));
    const spanAt = p.spanId !== undefined && p.spanAt !== undefined ? Math.min(p.spanAt, kept) : undefined;
    if (writer?.put(p.type, p.createdAt, p.spanId, spanAt, undefined, p.keys, p.vals, kept)) return true;
    // The parsed data as it is when nothing is taken out of it (no span id, no key folded away).
    const whole = p.data !== undefined && p.spanAt === undefined && kept === p.n;
    const ev: IncomingEvent = { type: p.type, data: whole ? (p.data as IncomingEvent['data']) : {} };
    if (!whole) for (let i = 0; i < kept; i++) ev.data[p.keys[i]!] = p.vals[i] as IncomingEvent['data'][string];
    if (p.createdAt !== undefined) ev.createdAt = p.createdAt;
    if (p.spanId !== undefined) ev.spanId = p.spanId;
    if (spanAt !== undefined) ev.spanAt = spanAt;
    if (writer !== undefined) writer.add(ev);
    else this.parsed.events.push(ev);
    return true;
  }
}
