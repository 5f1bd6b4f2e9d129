import { parentPort } from 'node:worker_threads';
import { ColumnWriter } from '../format/event-columns.js';
import { readLineBatches } from './replay-lines.js';
import { ReplayLineReader } from './replay-read.js';
import type { FromReplayThread, ToReplayThread } from './replay-thread.js';

/**
 * A replay source's reading on its own thread (replay-thread.ts): the file read, lines split,
 * JSON parsed and span keys folded here (replay-read.ts, as replay.ts reads on the main thread), and the
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
  const reader = new ReplayLineReader();
  const { events, errors: rejected } = reader.parsed;
  const writer = new ColumnWriter();
  let lineNo = 0;
  let lines = 0;
  let errors: [number, string][] = [];
  const send = async () => {
    const { cols, transfer } = writer.take();
    post({ t: 'batch', lines, errors, cols }, transfer);
    lines = 0;
    errors = [];
    if (++outstanding >= WINDOW) await new Promise<void>((r) => (resume = r));
  };
  try {
    for await (const batch of readLineBatches(path, signal)) {
      for (const raw of batch) {
        lineNo++;
        lines++;
        // Plain events go straight into the writer; the others are left in `events`.
        if (!reader.read(raw, lineNo, writer)) continue;
        for (const reason of rejected) errors.push([lineNo, reason]);
        for (const ev of events) writer.add(ev);
        if (writer.count >= EVENTS_PER_MESSAGE) await send();
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
