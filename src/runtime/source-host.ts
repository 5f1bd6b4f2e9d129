import type { IncomingEvent } from './event.js';
import { RateCounter } from './rate.js';
import type { Source, SourceContext, SourceState, SourceStatus } from './types.js';

export interface SourceHostHooks {
  /** Collects one event; false when a non-lossy sink is full. */
  ingest(ev: IncomingEvent): boolean;
  /** True while sources must wait (a full sink, or paused). */
  held(): boolean;
  message(level: 'warn' | 'error', text: string): void;
  now(): number;
}

/** Runs one source and keeps its status: the `SourceContext` it is given, counters, state. */
export class SourceHost {
  readonly status: SourceStatus;
  private readonly rate = new RateCounter();
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];
  private done: Promise<void> | undefined;

  constructor(
    readonly source: Source,
    private readonly hooks: SourceHostHooks,
  ) {
    this.status = {
      id: source.id,
      type: source.type,
      target: source.target,
      state: 'starting',
      events: 0,
      errors: 0,
      rate1s: 0,
      rate10s: 0,
      startedAt: hooks.now(),
      paused: false,
      details: {},
    };
  }

  start(): void {
    const ctx: SourceContext = {
      emit: (ev) => {
        if (ev.source === undefined) ev.source = this.source.id;
        this.status.events++;
        this.rate.add(1, this.hooks.now());
        return this.hooks.ingest(ev) && !this.hooks.held();
      },
      ready: () => (this.hooks.held() && !this.abort.signal.aborted ? new Promise((r) => this.waiters.push(r)) : Promise.resolve()),
      error: (message) => {
        this.status.errors++;
        this.status.lastError = { message, at: this.hooks.now() };
        this.hooks.message('warn', `source ${this.source.id}: ${message}`);
      },
      warn: (message) => this.hooks.message('warn', `source ${this.source.id}: ${message}`),
      fail: (message) => {
        this.status.state = 'failing';
        this.status.lastError = { message, at: this.hooks.now() };
        this.hooks.message('error', `source ${this.source.id} failing: ${message}`);
      },
      setState: (state: SourceState, details) => {
        this.status.state = state;
        if (details) this.status.details = { ...this.status.details, ...details };
      },
      setServerMetrics: (m) => {
        this.status.serverMetrics = m;
      },
      signal: this.abort.signal,
    };
    this.status.state = 'running';
    this.done = this.source.run(ctx).then(
      () => {
        if (this.status.state === 'running' || this.status.state === 'starting') this.status.state = this.abort.signal.aborted ? 'stopped' : 'finished';
      },
      (err: unknown) => {
        this.status.state = 'failing';
        const message = err instanceof Error ? err.message : String(err);
        this.status.errors++;
        this.status.lastError = { message, at: this.hooks.now() };
        this.hooks.message('error', `source ${this.source.id} stopped: ${message}`);
      },
    );
  }

  /** Settles when the source's run has returned (finished, failed or stopped); at once before start. */
  get ended(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  /** Lets a held source go on when nothing holds it any more. */
  release(): void {
    if (this.waiters.length === 0 || (this.hooks.held() && !this.abort.signal.aborted)) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  setPaused(paused: boolean): void {
    this.status.paused = paused;
  }

  /** Asks the source to stop and waits for it, at most `ms`. */
  async stop(ms: number): Promise<void> {
    this.abort.abort();
    this.release();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
    if (this.status.state === 'running') this.status.state = 'stopped';
  }

  snapshot(now: number): SourceStatus {
    return {
      ...this.status,
      rate1s: this.rate.rate1s(now),
      rate10s: this.rate.rate10s(now),
      details: { ...this.status.details },
      lastError: this.status.lastError && { ...this.status.lastError },
    };
  }
}
