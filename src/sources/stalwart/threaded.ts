import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ColumnReader } from '../../format/event-columns.js';
import type { IncomingEvent } from '../../runtime/event.js';
import type { Connection, ConnectionOptions, Outcome, ThreadFrame } from './connection.js';
import type { StreamWatch } from './http-client.js';
import { workerFile } from '../worker-file.js';

/** Messages to the SSE thread (sse-worker.ts). */
export type ToWorker =
  | { t: 'connect'; id: number; url: string; allowInvalidCerts: boolean; timeoutMs: number; maxFrameBytes: number; events: readonly string[]; pingIntervalMs: number; ingest?: { skipRepeats: boolean; restartAt: number } }
  | { t: 'ack'; n: number; bytes: number }
  | { t: 'hold'; on: boolean }
  | { t: 'ping-interval'; ms: number }
  | { t: 'restart'; id: number; bytes: number }
  | { t: 'stop'; id: number };

type FromWorker =
  | { t: 'ready' }
  | { t: 'open'; id: number }
  | { t: 'frame'; id: number; event: string; data: string; size: number }
  | ({ t: 'trace'; id: number; size: number } & ThreadFrame)
  | { t: 'done'; id: number; outcome: Outcome; cutBytes: number; frames: number };

type Done = { outcome: Outcome; cutBytes: number; frames: number };

/**
 * Where the SSE thread's code is: `MAILTEL_SSE_WORKER` names a file ("0" keeps the stream on the
 * main thread), else `sse-worker.js` beside this code when it was built (dist/). Run from the
 * TypeScript sources there is none, and the stream stays on the main thread.
 */
export function sseWorkerFile(): string | undefined {
  return workerFile(process.env.MAILTEL_SSE_WORKER, new URL('./sse-worker.js', import.meta.url));
}

/**
 * Whether trace frames are also parsed on the stream's thread (the events then come over in
 * columns, format/event-columns.ts; span keys are still folded on the main thread). Measured on
 * 2 cores, 300k events into a log tracer: 0.53-0.55 of the bare client vs 0.45-0.50 with the
 * parsing on the main thread, for about a sixth more CPU in all (2.27 vs 1.96 s). So it is done
 * when the machine has a second core; `MAILTEL_SSE_PARSE=main` keeps parsing on the main thread
 * where CPU counts more than the rate (`thread` forces it).
 */
export function parseOnThread(): boolean {
  const env = process.env.MAILTEL_SSE_PARSE;
  if (env === 'main') return false;
  if (env === 'thread') return true;
  return availableParallelism() >= 2;
}

/**
 * One thread per source for its trace stream: the socket, the `eventsource` parser and the text
 * decoding run there (the parse floor of the live-ingest benchmark is exactly that transport
 * work plus JSON.parse), and with parseOnThread() the parsing too: the main thread then gets the
 * events in columns and folds their span keys, else it parses whole frames. Connections are
 * made one after the other, as on the main thread; the thread is ended with the source.
 */
export class SseThread {
  private readonly worker: Worker;
  private next = 0;
  private active: { id: number; o: ConnectionOptions; resolve: (d: Done) => void; ping: number } | undefined;
  private failed: Error | undefined;
  private closing = false;
  /** Frames handled since the last acknowledgement (sent once per turn of the event loop). */
  private unacked = 0;
  private unackedBytes = 0;
  /** Reads the thread's trace frames (its ColumnWriter, sse-worker.ts). */
  private readonly columns = new ColumnReader();
  private resolveReady!: () => void;
  /**
   * Resolves once the thread runs (or failed): a token is asked for only then, so a slow start
   * of the thread never eats into the token's life (60 s on Stalwart, less in tests).
   */
  readonly ready = new Promise<void>((r) => (this.resolveReady = r));

  constructor(
    file: string,
    private readonly onFail: (e: Error) => void,
  ) {
    // Young generation: 16 MB. Parsing on the thread, 8 MB (the cap while it only read the socket)
    // meant a scavenge every few frames: 0.499-0.529 of the bare client vs 0.536-0.546 (32 MB:
    // 0.518-0.543), 1.2M-event runs alternating.
    this.worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: parseOnThread() ? 16 : 8 } });
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.message(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the SSE thread exited (${code})`)));
  }

  connect(o: ConnectionOptions): Connection {
    const id = ++this.next;
    let held = false;
    const watch = {
      get held() {
        return held;
      },
      pause: () => {
        held = true;
        this.post({ t: 'hold', on: true });
      },
      resume: () => {
        held = false;
        this.post({ t: 'hold', on: false });
      },
    } as StreamWatch;
    const done = new Promise<Done>((resolve) => {
      if (this.failed) return resolve({ outcome: { kind: 'dropped', reason: this.failed.message }, cutBytes: 0, frames: 0 });
      this.active = { id, o, resolve, ping: o.pingIntervalMs() };
    });
    const onAbort = () => this.post({ t: 'stop', id });
    o.signal.addEventListener('abort', onAbort, { once: true });
    void done.then(() => o.signal.removeEventListener('abort', onAbort));
    const { url, allowInvalidCerts, timeoutMs, maxFrameBytes, events, ingest } = o;
    const read = ingest ? { ingest: { skipRepeats: ingest.skipRepeats, restartAt: ingest.restartAt } } : {};
    this.post({ t: 'connect', id, url: url.href, allowInvalidCerts, timeoutMs, maxFrameBytes, events, pingIntervalMs: o.pingIntervalMs(), ...read });
    if (o.signal.aborted) onAbort();
    return { done, watch: () => watch, restart: (bytes) => this.post({ t: 'restart', id, bytes }) };
  }

  /** False once the thread failed (it is not restarted: streams go back to the main thread). */
  get usable(): boolean {
    return this.failed === undefined;
  }

  close(): void {
    this.closing = true;
    void this.worker.terminate();
  }

  private message(m: FromWorker): void {
    if (m.t === 'ready') return this.resolveReady();
    const a = this.active;
    // Every batch of columns is read here, in order, even a stale connection's: the shapes it
    // defines are the thread's, and later batches refer to them.
    if (m.t === 'trace' && m.trace?.cols !== undefined) {
      if (a && a.id === m.id) {
        const events: IncomingEvent[] = [];
        this.columns.decode(m.trace.cols, events);
        m.trace.events = events;
      } else this.columns.define(m.trace.cols);
    }
    if (!a || a.id !== m.id) {
      if (m.t === 'frame' || m.t === 'trace') this.ack(m.size);
      return;
    }
    if (m.t === 'frame' || m.t === 'trace') {
      if (m.t === 'frame') a.o.onFrame(m.event, m.data);
      else a.o.ingest?.onTrace(m);
      const ping = a.o.pingIntervalMs();
      if (ping !== a.ping) {
        a.ping = ping;
        this.post({ t: 'ping-interval', ms: ping });
      }
      this.ack(m.size);
    } else if (m.t === 'open') a.o.onOpen();
    else {
      this.active = undefined;
      a.resolve({ outcome: m.outcome, cutBytes: m.cutBytes, frames: m.frames });
    }
  }

  /**
   * Acknowledges after this turn of the event loop, not per frame: the thread then never has more
   * than its window (sse-worker.ts) waiting, so timers (status, log flushes, the console's frames)
   * run between frames instead of starving behind a queue the thread keeps refilling.
   */
  private ack(bytes: number): void {
    this.unackedBytes += bytes;
    if (this.unacked++ > 0) return;
    setImmediate(() => {
      const n = this.unacked;
      const b = this.unackedBytes;
      this.unacked = this.unackedBytes = 0;
      this.post({ t: 'ack', n, bytes: b });
    });
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    this.resolveReady();
    if (!this.closing) this.onFail(e);
    const a = this.active;
    this.active = undefined;
    a?.resolve({ outcome: { kind: 'dropped', reason: `the SSE thread failed: ${e.message}` }, cutBytes: 0, frames: 0 });
  }

  private post(m: ToWorker): void {
    if (!this.failed) this.worker.postMessage(m);
  }
}
