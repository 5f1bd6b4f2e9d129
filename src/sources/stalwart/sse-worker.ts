import { parentPort } from 'node:worker_threads';
import { ColumnWriter } from '../../format/event-columns.js';
import { connect, type Connection } from './connection.js';
import { RepeatSkipper } from './repeats.js';
import type { ToWorker } from './threaded.js';
import type { ThreadTrace } from './trace-ingest.js';
import { readTrace } from './trace-read.js';

/**
 * The SSE side of a Stalwart source on its own thread (threaded.ts): the socket, the frame guard,
 * the `eventsource` parser and its text decoding run here. A `trace` frame is also read here:
 * repeats of a v0.16 stream cut (repeats.ts) and the JSON parsed, and the events go over in
 * columns. Their span keys are folded on the main thread (trace-ingest.ts), which has the time:
 * folded here as well, this thread was the one the ingest waited on.
 * Other frames (pings) go over as they are. At most MAX_IN_FLIGHT_BYTES of frames (and
 * MAX_IN_FLIGHT frames) wait there unacknowledged; past that, and while the main thread holds the
 * source back, reading from the socket pauses, and it goes on once half of that is taken.
 */
const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
const MAX_IN_FLIGHT = 64;

const port = parentPort!;
let current: { id: number; conn: Connection; stop: AbortController } | undefined;
let pingIntervalMs = 30_000;
let inFlight = 0;
let inFlightBytes = 0;
let heldByMain = false;
// One of each per source, as on the main thread: the repeat counters add up over connections.
const repeats = new RepeatSkipper();
const writer = new ColumnWriter();

function flow(): void {
  const w = current?.conn.watch();
  if (!w) return;
  const full = inFlight >= MAX_IN_FLIGHT || inFlightBytes >= MAX_IN_FLIGHT_BYTES;
  const hold = heldByMain || full;
  if (hold && !w.held) w.pause();
  else if (!hold && w.held && inFlight <= MAX_IN_FLIGHT / 2 && inFlightBytes <= MAX_IN_FLIGHT_BYTES / 2) w.resume();
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'connect': {
      const stop = new AbortController();
      const id = m.id;
      pingIntervalMs = m.pingIntervalMs;
      inFlight = inFlightBytes = 0;
      heldByMain = false;
      const ingest = m.ingest;
      repeats.forget(); // the server's list starts empty on every stream
      const conn: Connection = connect({
        url: new URL(m.url),
        allowInvalidCerts: m.allowInvalidCerts,
        timeoutMs: m.timeoutMs,
        maxFrameBytes: m.maxFrameBytes,
        now: Date.now,
        signal: stop.signal,
        events: m.events,
        pingIntervalMs: () => pingIntervalMs,
        onOpen: () => port.postMessage({ t: 'open', id }),
        onFrame: (event, data) => {
          if (event === 'trace' && ingest !== undefined) {
            port.postMessage(...trace(id, data, ingest.skipRepeats));
            if (repeats.seen && data.length >= ingest.restartAt) conn.restart(data.length);
          } else port.postMessage({ t: 'frame', id, event, data, size: data.length });
          inFlight++;
          inFlightBytes += data.length;
          flow();
        },
      });
      current = { id, conn, stop };
      void conn.done.then((d) => {
        if (current?.id === id) current = undefined;
        port.postMessage({ t: 'done', id, ...d });
      });
      return;
    }
    case 'ack':
      inFlight -= m.n;
      inFlightBytes -= m.bytes;
      return flow();
    case 'hold':
      heldByMain = m.on;
      return flow();
    case 'ping-interval':
      pingIntervalMs = m.ms;
      return;
    case 'restart':
      if (current?.id === m.id) current.conn.restart(m.bytes);
      return;
    case 'stop':
      if (current?.id === m.id) current.stop.abort();
      return;
  }
});

/** The message for one trace frame, and what to transfer with it. */
function trace(id: number, data: string, skipRepeats: boolean): [unknown, ArrayBuffer[]] {
  const fresh = skipRepeats ? repeats.next(data) : data;
  const counts = { repeatFrames: repeats.repeatFrames, skippedBytes: repeats.skippedBytes };
  const size = data.length;
  if (fresh === undefined) return [{ t: 'trace', id, size, ...counts, repeated: true }, []];
  const r = readTrace(fresh);
  if (r.malformed !== undefined) {
    repeats.forget();
    const t: ThreadTrace = { bytes: fresh.length, errors: [], malformed: r.malformed };
    return [{ t: 'trace', id, size, ...counts, trace: t }, []];
  }
  // In columns (format/event-columns.ts): handed over as JSON text instead, making the text and
  // parsing it again on the main thread cost more than the thread saved.
  const { cols, transfer } = writer.encode(r.events);
  const t: ThreadTrace = { bytes: fresh.length, cols, errors: r.errors };
  return [{ t: 'trace', id, size, ...counts, trace: t }, transfer];
}

port.postMessage({ t: 'ready' });
