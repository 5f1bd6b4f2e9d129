import type { Columns } from '../../format/event-columns.js';
import type { IncomingEvent } from '../../runtime/event.js';
import { Queue } from '../../runtime/queue.js';
import type { SourceContext } from '../../runtime/types.js';
import type { StreamWatch } from './http-client.js';
import { LiveSpanFolder } from './live-spans.js';
import { readTrace, type TraceRead } from './trace-read.js';

/** A trace frame as the stream's thread hands it over (sse-worker.ts). */
export interface ThreadTrace {
  /** Bytes of the frame read (after repeats were cut). */
  bytes: number;
  /** The events, parsed (their span keys are folded here, fromThread), in columns; absent when the frame was malformed. */
  cols?: Columns;
  /** The same events rebuilt on the main thread (threaded.ts reads the columns as they come). */
  events?: IncomingEvent[];
  errors: string[];
  malformed?: string;
}

/** Events waiting for the pipeline before the socket is paused. */
const HIGH_WATER = 5_000;

/**
 * Turns `trace` frames into pipeline events: parses the JSON array, or takes the events the
 * stream's thread parsed (a frame that is not one is counted as malformed and skipped whole),
 * folds span keys back, counts events per type (for
 * the comparison with the server's own counters) and emits them under backpressure. While the
 * pipeline holds the source back, events wait here and reading from the socket pauses.
 */
export class TraceIngest {
  readonly perType = new Map<string, number>();
  frames = 0;
  events = 0;
  malformedFrames = 0;
  malformedEvents = 0;
  cutFrames = 0;
  oversizeFrames = 0;
  lastFrameAt: number | null = null;
  private readonly folder = new LiveSpanFolder();
  private queue = new Queue<IncomingEvent>();
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private paused: StreamWatch | undefined;

  constructor(
    private readonly ctx: SourceContext,
    private readonly now: () => number,
  ) {}

  get streaming(): boolean {
    return this.lastFrameAt !== null;
  }

  frame(data: string, watch: StreamWatch | undefined): void {
    const r = readTrace(data);
    if (this.take(r, data.length)) {
      for (const ev of r.events) this.folder.fold(ev);
      this.hand(r.events, watch);
    }
  }

  /** A frame the stream's thread read (threaded.ts): its events, rebuilt from columns, are folded here. */
  fromThread(t: ThreadTrace, watch: StreamWatch | undefined): void {
    const events = t.events ?? [];
    if (!this.take({ events, errors: t.errors, ...(t.malformed !== undefined ? { malformed: t.malformed } : {}) }, t.bytes)) return;
    for (const ev of events) this.folder.fold(ev);
    this.hand(events, watch);
  }

  /** Counts a frame read; false when it was malformed as a whole (nothing of it to hand on). */
  private take(r: TraceRead, bytes: number): boolean {
    this.lastFrameAt = this.now();
    if (r.malformed !== undefined) {
      this.malformedFrames++;
      this.ctx.error(`malformed trace frame skipped (${bytes} bytes): ${r.malformed}`);
      return false;
    }
    this.frames++;
    for (const reason of r.errors) {
      this.malformedEvents++;
      this.ctx.error(`malformed trace element skipped: ${reason}`);
    }
    return true;
  }

  private hand(events: IncomingEvent[], watch: StreamWatch | undefined): void {
    const perType = this.perType;
    for (let i = 0; i < events.length; i++) {
      const type = events[i]!.type;
      perType.set(type, (perType.get(type) ?? 0) + 1);
    }
    this.events += events.length;
    // Nothing waiting: hand the frame's events on at once; from the first the pipeline cannot
    // take, the rest wait in the queue for ready().
    let i = 0;
    let full = false;
    if (!this.running) {
      while (i < events.length) {
        if (!this.ctx.emit(events[i++]!)) {
          full = true;
          break;
        }
      }
      if (!full) return;
    }
    for (; i < events.length; i++) this.queue.push(events[i]!);
    if (!this.running) {
      this.running = true;
      this.done = this.drain(full);
    }
    if (this.queue.length > HIGH_WATER && watch && !watch.held) {
      watch.pause();
      this.paused = watch;
    }
  }

  /** Hands the queue on; `wait` first: the last emit said the pipeline is full. */
  private async drain(wait: boolean): Promise<void> {
    if (wait) await this.ctx.ready();
    // Under steady backpressure the queue never empties: Queue drops what was handed on as it goes.
    for (let ev = this.queue.shift(); ev !== undefined && !this.ctx.signal.aborted; ev = this.queue.shift()) {
      if (!this.ctx.emit(ev)) await this.ctx.ready();
    }
    this.queue = new Queue<IncomingEvent>();
    this.running = false;
    if (this.paused) {
      this.paused.resume();
      this.paused = undefined;
    }
  }

  /** Resolves when every event parsed so far has been handed to the pipeline. */
  async drained(): Promise<void> {
    while (this.running) await this.done;
  }

  cut(bytes: number): void {
    this.cutFrames++;
    this.ctx.error(`a frame cut by the dropped connection was discarded (${bytes} bytes received of it)`);
  }

  oversize(bytes: number, limit: number): void {
    this.oversizeFrames++;
    this.ctx.error(`a frame over max-frame (${limit} bytes) was refused after ${bytes} bytes; reconnecting`);
  }

  details(): Record<string, number | null> {
    return {
      frames: this.frames,
      malformedFrames: this.malformedFrames,
      malformedEvents: this.malformedEvents,
      cutFrames: this.cutFrames,
      oversizeFrames: this.oversizeFrames,
      lastFrameAt: this.lastFrameAt,
    };
  }
}
