import { parentPort } from 'node:worker_threads';
import { ColumnWriter } from '../format/event-columns.js';
import type { ParsedEvents } from '../format/json-parse.js';
import { readRecordInto } from '../record/read.js';
import type { IncomingEvent } from '../runtime/event.js';
import { isBlank, readLineBatches } from './replay-lines.js';
import type { FromReplayThread, ToReplayThread } from './replay-thread.js';
import { SpanKeyFolder } from './replay-spans.js';
import { LiveSpanFolder } from './stalwart/live-spans.js';

/**
 * A replay source's reading on its own thread (replay-thread.ts): the file read, lines split,
 * JSON parsed and span keys folded here, exactly as replay.ts does on the main thread, and the
 * events go over in columns (format/event-columns.ts), EVENTS_PER_MESSAGE at a time. At most
 * WINDOW messages wait unacknowledged; past that, reading pauses until the main thread took them.
 */
const EVENTS_PER_MESSAGE = 1024;
const WINDOW = 8;

const port = parentPort!;
let outstanding = 0;
let resume: (() => void) | undefined;
let stop: AbortController | undefined;

port.on('message', (m: ToReplayThread) => {
  if (m.t === 'ack') {
    outstanding -= m.n;
    if (outstanding < WINDOW && resume) {
      const r = resume;
      resume = undefined;
      r();
    }
  } else if (m.t === 'pass') void pass(m.path);
  else if (m.t === 'stop') stop?.abort();
});

function post(m: FromReplayThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

/** One pass over the file, as replay.ts's replayPass reads it. */
async function pass(path: string): Promise<void> {
  stop = new AbortController();
  const signal = stop.signal;
  outstanding = 0;
  const spans = new SpanKeyFolder();
  const liveSpans = new LiveSpanFolder();
  const writer = new ColumnWriter();
  const parsed: ParsedEvents = { events: [], errors: [] };
  let lineNo = 0;
  let lines = 0;
  let errors: [number, string][] = [];
  let out: IncomingEvent[] = [];
  const send = async () => {
    const { cols, transfer } = writer.encode(out);
    post({ t: 'batch', lines, errors, cols }, transfer);
    lines = 0;
    errors = [];
    out = [];
    if (++outstanding >= WINDOW) await new Promise<void>((r) => (resume = r));
  };
  try {
    for await (const batch of readLineBatches(path, signal)) {
      for (const raw of batch) {
        lineNo++;
        lines++;
        const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        if (isBlank(line)) continue;
        parsed.events.length = 0;
        parsed.errors.length = 0;
        readRecordInto(line, spans.keep, parsed);
        for (const reason of parsed.errors) errors.push([lineNo, reason]);
        for (const ev of parsed.events) {
          // Events with a span id were folded while parsing (spans.keep).
          if (ev.spanId === undefined) liveSpans.fold(ev);
          out.push(ev);
        }
        if (out.length >= EVENTS_PER_MESSAGE) await send();
        if (signal.aborted) return;
      }
      if (lines > 0 || errors.length > 0) await send();
      if (signal.aborted) return;
    }
    post({ t: 'end' });
  } catch (e) {
    post({ t: 'end', failure: `read failed after line ${lineNo}: ${(e as Error).message}` });
  }
}

post({ t: 'ready' });
