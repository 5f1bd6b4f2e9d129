import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ColumnReader, type Columns } from '../format/event-columns.js';
import type { IncomingEvent } from '../runtime/event.js';
import { workerFile } from './worker-file.js';

/** Messages to a replay thread (replay-worker.ts). */
export type ToReplayThread = { t: 'pass'; path: string } | { t: 'ack'; n: number } | { t: 'stop' };

/** Messages from it: the lines it read, their rejections (line number, reason) and their events. */
export type FromReplayThread =
  | { t: 'ready' }
  | { t: 'batch'; lines: number; errors: [number, string][]; cols: Columns }
  | { t: 'end'; failure?: string };

export interface ReplayBatch {
  lines: number;
  errors: [number, string][];
  events: IncomingEvent[];
}

/** A read error the thread met (the message replay.ts gives for the same on the main thread). */
export class ReplayReadError extends Error {}

/** The thread itself failed (it could not start, or it died): the pass can go on on the main thread. */
export class ReplayThreadFailed extends Error {}

/**
 * Where a replay thread's code is: `MAILTEL_REPLAY_WORKER` names a file ("0" keeps every replay
 * on the main thread), else `replay-worker.js` beside this code when it was built (dist/). Run
 * from the TypeScript sources there is none, and replays read on the main thread.
 */
export function replayWorkerFile(): string | undefined {
  return workerFile(process.env.MAILTEL_REPLAY_WORKER, new URL('./replay-worker.js', import.meta.url));
}

/** Replay threads running now, in the whole process. */
let running = 0;

/**
 * A replay source's reading on its own thread: the thread reads, parses and folds (the larger
 * half of a replay's work), the main thread rebuilds the events from columns and runs the
 * pipeline. At most one thread fewer than the machine's cores run at once, so replays beyond
 * that (or on one core) read on the main thread as before.
 */
export class ReplayThread {
  private readonly worker: Worker;
  private readonly inbox: FromReplayThread[] = [];
  private wake: (() => void) | undefined;
  private failed: Error | undefined;
  private closed = false;

  static open(file: string): ReplayThread | undefined {
    if (running >= availableParallelism() - 1) return undefined;
    running++;
    return new ReplayThread(file);
  }

  private constructor(file: string) {
    const spare = takeSpare(file);
    // A young generation of 8 MB, as the SSE thread's: with V8's default the thread's heap took
    // 40-50 MB more peak RSS for the same rate (500k events: 169-179 vs 193-224 MB). bin/mailtel.js
    // starts its spare thread with the same options.
    this.worker = spare?.worker ?? new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.worker.unref();
    if (spare?.error) this.failed = spare.error;
    this.worker.on('message', (m: FromReplayThread) => {
      if (m.t === 'ready') return;
      this.inbox.push(m);
      this.notify();
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the replay thread exited (${code})`)));
  }

  /** One pass over `path`, batch by batch; each batch is acknowledged when the next is asked for. */
  async *pass(path: string, signal: AbortSignal): AsyncGenerator<ReplayBatch> {
    const reader = new ColumnReader();
    const onAbort = () => this.post({ t: 'stop' });
    signal.addEventListener('abort', onAbort, { once: true });
    this.post({ t: 'pass', path });
    // A pass in progress keeps the process alive, as a read on the main thread would.
    this.worker.ref();
    try {
      for (;;) {
        const m = await this.next();
        if (m.t === 'end') {
          if (m.failure !== undefined) throw new ReplayReadError(m.failure);
          return;
        }
        if (m.t !== 'batch') continue;
        const events: IncomingEvent[] = [];
        reader.decode(m.cols, events);
        yield { lines: m.lines, errors: m.errors, events };
        this.post({ t: 'ack', n: 1 });
      }
    } finally {
      this.worker.unref();
      signal.removeEventListener('abort', onAbort);
      // Left early (aborted): the thread stops reading; what it still sends is dropped below.
      if (signal.aborted) this.inbox.length = 0;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    running--;
    void this.worker.terminate();
  }

  private async next(): Promise<FromReplayThread> {
    while (this.inbox.length === 0) {
      if (this.failed) throw new ReplayThreadFailed(this.failed.message);
      await new Promise<void>((r) => (this.wake = r));
    }
    return this.inbox.shift()!;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private fail(e: Error): void {
    if (this.closed || this.failed) return;
    this.failed = e;
    this.notify();
  }

  private post(m: ToReplayThread): void {
    if (!this.failed && !this.closed) this.worker.postMessage(m);
  }
}

/**
 * The thread bin/mailtel.js starts ahead for a replay (headless), until one takes it: the worker,
 * the error it met meanwhile, and a function that takes bin's listeners off it.
 */
export interface SpareThread {
  worker: Worker;
  error: Error | undefined;
  release: () => void;
}
export const SPARE = Symbol.for('mailtel.spare-replay-thread');
const spares = globalThis as { [SPARE]?: SpareThread };

/** The thread started ahead, when there is one running `file`; it is no longer spare. */
function takeSpare(file: string): SpareThread | undefined {
  const spare = spares[SPARE];
  if (spare === undefined || file !== replayWorkerFile()) return undefined;
  spares[SPARE] = undefined;
  spare.release();
  return spare;
}

/** Ends the thread started ahead when no replay took it (called once the sources have started). */
export function endSpareReplayThread(): void {
  const spare = spares[SPARE];
  spares[SPARE] = undefined;
  if (spare !== undefined) void spare.worker.terminate();
}
