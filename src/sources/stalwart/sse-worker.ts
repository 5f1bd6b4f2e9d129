import { parentPort } from 'node:worker_threads';
import { connect, type Connection } from './connection.js';
import type { ToWorker } from './threaded.js';

/**
 * The SSE side of a Stalwart source on its own thread (threaded.ts): the socket, the frame guard,
 * the `eventsource` parser and its text decoding run here, and each whole frame goes to the main
 * thread as one string. At most MAX_IN_FLIGHT_BYTES of frames (and MAX_IN_FLIGHT frames) wait
 * there unacknowledged; past that, and while the main thread holds the source back, reading
 * from the socket pauses, and it goes on once half of that is taken. A window of a few frames
 * left the main thread waiting for the socket to refill after each pause (8 frames of the
 * benchmark's 300 KB: 0.41-0.43 of the bare client; 32: 0.49-0.50, two pairs interleaved).
 */
const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
const MAX_IN_FLIGHT = 64;

const port = parentPort!;
let current: { id: number; conn: Connection; stop: AbortController } | undefined;
let pingIntervalMs = 30_000;
let inFlight = 0;
let inFlightBytes = 0;
let heldByMain = false;

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
      const conn = connect({
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
          port.postMessage({ t: 'frame', id, event, data });
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

port.postMessage({ t: 'ready' });
