import type { TelemetryEvent } from './event.js';
import { Queue } from './queue.js';
import { RateCounter } from './rate.js';
import type { Sink, SinkState, SinkStatus, SubscriberOptions, WriteResult } from './types.js';

export interface SubscriberHooks {
  /** A write failed (the runtime raises the sink's error event and logs it). */
  onError(sub: Subscriber, message: string, event?: Record<string, string | number>): void;
  /** The queue went below capacity: sources held back may go on. */
  onDrain(): void;
  now(): number;
}

type Counters = Omit<SinkStatus, 'queueDepth' | 'rate1s' | 'rate10s' | 'history' | 'details' | 'target'>;

/**
 * Wraps one sink: a bounded queue, batch delivery with throttle, retry and lossy dropping, the
 * enable toggle, and every counter the status store shows. One write in flight at a time.
 */
export class Subscriber {
  readonly counters: Counters;
  private readonly queue = new Queue<TelemetryEvent>();
  private readonly rate = new RateCounter();
  private lastWriteAt = 0;
  private stopping = false;
  private deadline = Infinity;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  /** Set when the stop deadline passed with a write in flight: its result no longer counts. */
  private abandoned = false;

  constructor(
    readonly sink: Sink,
    readonly opts: SubscriberOptions,
    readonly filter: (type: string, level: TelemetryEvent['level']) => boolean,
    eventsSelected: number,
    private readonly hooks: SubscriberHooks,
  ) {
    this.counters = {
      id: sink.id,
      subscriberId: opts.id,
      type: sink.type,
      enabled: true,
      state: 'starting',
      lossy: opts.lossy,
      eventsSelected,
      received: 0,
      written: 0,
      droppedIntentional: 0,
      droppedError: 0,
      skipped: 0,
      queueCapacity: opts.queueSize,
      writes: 0,
      failures: 0,
    };
  }

  get depth(): number {
    return this.queue.length;
  }

  /** True while this subscriber holds the sources back (enabled, not lossy, queue full). */
  get full(): boolean {
    return this.counters.enabled && !this.opts.lossy && this.queue.length >= this.opts.queueSize;
  }

  /** Offers one event that passed `filter`. Returns true when the queue is now full. */
  offer(ev: TelemetryEvent): boolean {
    const c = this.counters;
    if (!c.enabled) {
      c.skipped++;
      return false;
    }
    c.received++;
    this.queue.push(ev);
    if (this.queue.length > this.opts.queueSize && this.opts.lossy) this.shed();
    if (this.wakeUp && this.queue.length === 1) this.wake();
    return !this.opts.lossy && this.queue.length >= this.opts.queueSize;
  }

  /** docs/stalwart.md §7 lossy: past capacity keep only error events, then cut to capacity. */
  private shed(): void {
    let dropped = this.queue.retain((e) => e.level === 'error');
    dropped += this.queue.truncate(this.opts.queueSize);
    this.counters.droppedIntentional += dropped;
  }

  setEnabled(enabled: boolean): void {
    if (this.counters.enabled === enabled) return;
    this.counters.enabled = enabled;
    if (enabled) {
      if (this.counters.state === 'disabled') this.counters.state = 'ok';
    } else {
      this.counters.state = 'disabled';
      this.hooks.onDrain();
    }
  }

  async start(): Promise<void> {
    const res: WriteResult = this.sink.start ? await safe(() => this.sink.start!()) : { ok: true };
    if (res.ok) {
      if (this.counters.state === 'starting') this.counters.state = this.counters.enabled ? 'ok' : 'disabled';
    } else {
      this.fail(res.error, 'failing', res.event);
    }
    this.loopDone = this.loop();
  }

  /** Sends what is queued now, ignoring the throttle window (the `flush` command). */
  flushNow(): void {
    this.lastWriteAt = 0;
    this.wake();
  }

  /** Resolves when the queue is empty and nothing is in flight, or at `deadline`. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Delivers what is queued until `deadline`, then flushes and closes the sink, never waiting
   * past the deadline: a write, flush or close still running then is abandoned, and what it
   * held plus what is still queued is counted as not delivered (`droppedError`, `lastError`).
   */
  async stop(deadline: number): Promise<void> {
    this.stopping = true;
    this.deadline = deadline;
    this.lastWriteAt = 0;
    this.wake();
    const left = () => Math.max(0, deadline - this.hooks.now());
    const finished = await within(this.loopDone, left());
    if (!finished) this.abandoned = true;
    const lost = this.queue.length + (finished ? 0 : this.inFlight);
    if (lost > 0) {
      this.counters.droppedError += lost;
      this.queue.truncate(0);
      this.inFlight = 0;
      const why = finished ? 'still queued at shutdown' : 'not delivered: the stop timeout ended a write in flight';
      this.fail(`${lost} events ${why}`, 'failing');
    }
    if (finished) await within(safeVoid(() => this.sink.flush?.()), left());
    // A close is always tried, briefly: it releases sockets and timers even after a timeout.
    await within(safeVoid(() => this.sink.close?.()), Math.max(left(), 50));
    this.counters.state = 'stopped';
    this.notifyIdle();
  }

  status(now: number): SinkStatus {
    return {
      ...this.counters,
      target: this.sink.target,
      queueDepth: this.queue.length,
      rate1s: this.rate.rate1s(now),
      rate10s: this.rate.rate10s(now),
      history: this.rate.history(now),
      details: this.sink.details ? this.sink.details() : {},
      lastError: this.counters.lastError && { ...this.counters.lastError },
    };
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    const o = this.opts;
    for (;;) {
      const now = this.hooks.now();
      if (this.abandoned || (this.stopping && (this.queue.length === 0 || now >= this.deadline))) return;
      if (this.queue.length === 0) {
        this.notifyIdle();
        await this.pause(this.stopping ? 0 : 60_000);
        continue;
      }
      const gap = this.lastWriteAt + o.throttleMs - now;
      if (gap > 0 && !this.stopping) {
        await this.pause(gap);
        continue;
      }
      await this.deliver(this.queue.take(o.batchSize));
    }
  }

  private async deliver(taken: TelemetryEvent[]): Promise<void> {
    const o = this.opts;
    let batch = taken;
    if (o.discardAfterMs > 0) {
      const oldest = this.hooks.now() - o.discardAfterMs;
      batch = taken.filter((e) => e.createdAt > oldest);
      this.counters.droppedIntentional += taken.length - batch.length;
      if (batch.length === 0) return;
    }
    this.inFlight = batch.length;
    const res = await safe(() => this.sink.write(batch));
    if (this.abandoned) return;
    this.inFlight = 0;
    const now = this.hooks.now();
    this.lastWriteAt = now;
    this.counters.writes++;
    if (res.ok) {
      this.counters.written += batch.length;
      this.rate.add(batch.length, now);
      this.counters.lastSuccessAt = now;
      this.counters.state = this.counters.enabled ? 'ok' : 'disabled';
      return this.afterWrite();
    }
    const delivered = Math.max(0, Math.min(batch.length, Math.floor(res.delivered ?? 0)));
    if (delivered > 0) {
      this.counters.written += delivered;
      this.rate.add(delivered, now);
      this.counters.lastSuccessAt = now;
      batch = batch.slice(delivered);
    }
    if (res.retry && !(this.stopping && now >= this.deadline)) {
      this.queue.unshift(batch);
      this.fail(res.error, 'retrying', res.event);
      if (!this.stopping || now < this.deadline) await this.pause(Math.min(res.retryAfterMs ?? Math.max(o.throttleMs, 1000), Math.max(0, this.deadline - now)));
    } else {
      this.counters.droppedError += batch.length;
      this.fail(res.error, 'failing', res.event);
    }
    this.afterWrite();
  }

  private afterWrite(): void {
    if (this.queue.length < this.opts.queueSize) this.hooks.onDrain();
  }

  private fail(message: string, state: SinkState, event?: Record<string, string | number>): void {
    const c = this.counters;
    c.failures++;
    c.lastError = { message, at: this.hooks.now() };
    if (c.enabled || state === 'failing') c.state = state;
    this.hooks.onError(this, message, event);
  }

  private notifyIdle(): void {
    if (this.queue.length !== 0 || this.inFlight !== 0) return;
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }
}

/** True when `p` settled within `ms`. */
async function within(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([p?.then(() => true, () => true) ?? true, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return done;
}

async function safe(fn: () => Promise<WriteResult>): Promise<WriteResult> {
  try {
    return await fn();
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), retry: false };
  }
}

async function safeVoid(fn: () => Promise<void> | undefined): Promise<void> {
  try {
    await fn();
  } catch {
    // flush/close errors surface through the next status; shutdown goes on
  }
}
