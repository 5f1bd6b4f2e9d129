import { parentPort } from 'node:worker_threads';
import { connect, type Connection } from './connection.js';
import { LiveSpanFolder } from './live-spans.js';
import { RepeatSkipper } from './repeats.js';
import type { ToWorker } from './threaded.js';
import type { ThreadTrace } from './trace-ingest.js';
import { readTrace } from './trace-read.js';

/**
 * The SSE side of a Stalwart source on its own thread (threaded.ts): the socket, the frame guard,
 * the `eventsource` parser and its text decoding run here. A `trace` frame is also read here:
 * repeats of a v0.16 stream cut (repeats.ts), the JSON parsed and the span keys folded
 * (live-spans.ts; the folder lives as long as the source, as on the main thread), and the
 * events go over as one JSON text the main thread parses at once, with the span starts by id.
 * Other frames (pings) go over as they are. At most MAX_IN_FLIGHT frames wait there
 * unacknowledged; past that, and while the main thread holds the source back, reading from the
 * socket pauses.
 */
const MAX_IN_FLIGHT = 8;

const port = parentPort!;
let current: { id: number; conn: Connection; stop: AbortController } | undefined;
let pingIntervalMs = 30_000;
let inFlight = 0;
let heldByMain = false;
// One of each per source, as on the main thread: the repeat counters add up over connections.
const folder = new LiveSpanFolder();
const repeats = new RepeatSkipper();

function flow(): void {
  const w = current?.conn.watch();
  if (!w) return;
  const hold = heldByMain || inFlight >= MAX_IN_FLIGHT;
  if (hold && !w.held) w.pause();
  else if (!hold && w.held && inFlight <= MAX_IN_FLIGHT / 2) w.resume();
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'connect': {
      const stop = new AbortController();
      const id = m.id;
      pingIntervalMs = m.pingIntervalMs;
      inFlight = 0;
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
          } else port.postMessage({ t: 'frame', id, event, data });
          inFlight++;
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
  if (fresh === undefined) return [{ t: 'trace', id, ...counts, repeated: true }, []];
  const r = readTrace(fresh);
  if (r.malformed !== undefined) {
    repeats.forget();
    const t: ThreadTrace = { bytes: fresh.length, errors: [], malformed: r.malformed };
    return [{ t: 'trace', id, ...counts, trace: t }, []];
  }
  const events = r.events;
  const spans = new Int32Array(2 * events.length);
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    folder.fold(ev);
    spans[2 * i] = folder.started;
    spans[2 * i + 1] = folder.foldedFrom;
    ev.span = undefined; // sent by id, in `spans`
  }
  // As UTF-8 bytes in a buffer of their own, handed over (not copied): posting the JSON as a
  // string cost more than making it (a copy into the message, and one out of it).
  const json = JSON.stringify(events);
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
  bytes.write(json, 'utf8');
  const t: ThreadTrace = { bytes: fresh.length, events: new Uint8Array(bytes.buffer, 0, bytes.length), spans, errors: r.errors };
  return [{ t: 'trace', id, ...counts, trace: t }, [spans.buffer, bytes.buffer as ArrayBuffer]];
}

port.postMessage({ t: 'ready' });
