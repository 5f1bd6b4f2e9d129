import type { ParsedEvents } from '../format/json-parse.js';
import { readRecordInto } from '../record/read.js';
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

  /** Reads line `lineNo` (from 1); false for a blank line, which leaves `parsed` as it was. */
  read(raw: string, lineNo: number): boolean {
    const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (isBlank(line)) return false;
    const { events, errors } = this.parsed;
    // Emptied by pop, inlined, rather than the length setter (a runtime call per line).
    while (events.length > 0) events.pop();
    if (errors.length > 0) errors.length = 0;
    readRecordInto(line, this.spans.keep, this.parsed);
    // Events with a span id were folded while parsing (spans.keep); live-trace ones are folded here.
    for (let i = 0; i < events.length; i++) if (events[i]!.spanId === undefined) this.liveSpans.fold(events[i]!);
    return true;
  }
}
