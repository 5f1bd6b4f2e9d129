import { maskUrl } from '../../config/mask.js';
import type { Source, SourceContext, SourceState } from '../../runtime/types.js';
import { sleep } from '../demo-wait.js';
import { AUTH_RETRY_MIN_MS, Backoff, NOT_FOUND_RETRY_MS } from './backoff.js';
import type { StalwartSourceConfig } from './config.js';
import { connect, type Connection, type ConnectionOptions, type Outcome, type ThreadFrame } from './connection.js';
import { MetricsTracker } from './metrics-tracker.js';
import { RepeatSkipper, repeatsNote, restartBytes } from './repeats.js';
import { parseOnThread, SseThread, sseWorkerFile } from './threaded.js';
import { TraceIngest } from './trace-ingest.js';
import { TokenClient, type TokenResult } from './token.js';
import type { Routes } from './routes.js';
import { LIVE_GAUGES } from './routes.js';

/** Time and chance, injectable so tests can check retry pacing without waiting. */
export interface StalwartDeps {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
}

const realDeps: StalwartDeps = { now: Date.now, sleep, random: Math.random };

export type Phase = 'connecting' | 'streaming' | 'retrying' | 'auth failed' | 'not enterprise' | 'tls error' | 'stopped';

/** The Stalwart live source (docs/stalwart.md §4): token, SSE `trace` (and `metrics`) streams, reconnects. */
export function createStalwartSource(cfg: StalwartSourceConfig, deps: StalwartDeps = realDeps): Source {
  return {
    id: cfg.id,
    type: 'stalwart',
    target: maskUrl(cfg.url),
    run: (ctx) => new StalwartRun(cfg, ctx, deps).run(),
  };
}

class StalwartRun {
  private readonly tokens: TokenClient;
  private readonly ingest: TraceIngest;
  private readonly metrics: MetricsTracker;
  private pingIntervalMs = 30_000;
  private reconnects = 0;
  /** Streams restarted on purpose because the server repeats every event (repeats.ts). */
  private restarts = 0;
  private readonly repeats = new RepeatSkipper();
  private state: SourceState = 'connecting';
  private refreshTimer: NodeJS.Timeout | undefined;
  private shown = { phase: 'connecting' as Phase, reason: '', at: 0 };
  private connections = 0;
  private warnedFilters = false;
  /** The trace stream's own thread (threaded.ts), when the built code has one and time is real. */
  private thread: SseThread | undefined;
  private readonly threadFile: string | undefined;

  constructor(
    private readonly cfg: StalwartSourceConfig,
    private readonly ctx: SourceContext,
    private readonly deps: StalwartDeps,
  ) {
    this.tokens = new TokenClient(cfg);
    this.ingest = new TraceIngest(ctx, deps.now);
    this.metrics = new MetricsTracker(this.ingest.perType);
    this.threadFile = deps === realDeps ? sseWorkerFile() : undefined;
  }

  async run(): Promise<void> {
    try {
      await Promise.all([this.traceLoop(), this.cfg.metrics ? this.metricsLoop() : Promise.resolve()]);
      await this.ingest.drained();
    } finally {
      this.thread?.close();
    }
  }

  private show(phase: Phase, reason: string, nextRetryAt: number | null = null): void {
    this.shown = { phase, reason, at: this.deps.now() };
    const state = phase === 'streaming' ? 'running' : phase === 'stopped' ? 'stopped' : phase === 'connecting' || phase === 'retrying' ? 'connecting' : 'failing';
    this.state = state;
    this.ctx.setState(state, {
      phase,
      reason,
      nextRetryAt,
      api: this.tokens.generation ?? (this.cfg.api === 'auto' ? 'auto' : this.cfg.api),
      connections: this.connections,
      streamThread: this.thread?.usable === true,
      parseThread: this.thread?.usable === true && parseOnThread(),
      reconnects: this.reconnects,
      pingIntervalMs: this.pingIntervalMs,
      ...this.ingest.details(),
      repeatFrames: this.repeats.repeatFrames,
      restarts: this.restarts,
      ...(this.repeats.seen ? { repeats: repeatsNote(this.restarts) } : {}),
      ...(this.tokens.generation === 'v0.16' ? v016Ignored(this.cfg.filters) : {}),
    });
    if (this.tokens.generation === 'v0.16' && !this.warnedFilters) {
      this.warnedFilters = true;
      const ignored = v016Ignored(this.cfg.filters).filtersIgnored;
      // Once per source: a warning on stderr headless, the status line in the console.
      if (ignored !== undefined) (this.ctx.warn ?? this.ctx.error)(ignored);
    }
  }

  /** Counters into the status at most ten times a second (not per frame), the last one always. */
  private refresh(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.shown.phase === 'streaming') this.show('streaming', this.shown.reason);
    }, 100);
    this.refreshTimer.unref?.();
  }

  private async traceLoop(): Promise<void> {
    const backoff = new Backoff(this.deps.random);
    const signal = this.ctx.signal;
    let retryNow = false;
    let restarting = false;
    if (this.threadFile !== undefined) {
      this.thread = new SseThread(this.threadFile, (e) => this.ctx.error(`the trace stream's own thread failed (${e.message}); streaming on the main thread from the next connection`));
      await this.thread.ready;
    }
    while (!signal.aborted) {
      const asking = this.connections === 0 ? 'asking for a tracing token' : 'asking for a fresh tracing token';
      this.show('connecting', restarting ? `restarting the stream: ${repeatsNote(this.restarts)}` : asking);
      restarting = false;
      const t = await this.tokens.fetch('tracing', signal);
      if (signal.aborted) break;
      let wait: number;
      let phase: Phase = 'retrying';
      let reason: string;
      if (t.kind === 'ok') {
        const { outcome, streamed } = await this.stream(t.routes, t.token);
        if (outcome.kind === 'stopped') break;
        if (streamed) backoff.reset();
        // A stream restarted on purpose is no failure: at once, no backoff (events the server
        // emits in the gap are lost, as on any reconnect of a live stream).
        if (outcome.kind === 'restart') {
          this.restarts++;
          restarting = true;
          continue;
        }
        this.reconnects++;
        reason = describeOutcome(outcome);
        wait = backoff.next();
        // A token refused on the stream usually expired between the two requests: one fresh
        // token at once; a second refusal in a row is an auth failure, paced like one.
        if (outcome.kind === 'auth') {
          if (!retryNow) wait = 0;
          else {
            phase = 'auth failed';
            wait = Math.max(AUTH_RETRY_MIN_MS, wait);
          }
          retryNow = !retryNow;
        } else retryNow = false;
        if (outcome.kind === 'not-found') wait = Math.max(wait, 1000);
        if (outcome.kind === 'tls') phase = 'tls error';
      } else {
        ({ phase, reason, wait } = this.tokenFailure(t, backoff));
      }
      this.show(phase, reason, wait > 0 ? this.deps.now() + wait : null);
      if (wait > 0) await this.deps.sleep(wait, signal);
    }
    clearTimeout(this.refreshTimer);
    this.show('stopped', 'stopped');
  }

  private tokenFailure(t: Exclude<TokenResult, { kind: 'ok' }>, backoff: Backoff): { phase: Phase; reason: string; wait: number } {
    switch (t.kind) {
      case 'auth':
        return {
          phase: 'auth failed',
          reason: `HTTP ${t.status} from ${t.path}: check auth.username/secret (or auth.token) and that the account has the tracing-live permission`,
          wait: Math.max(AUTH_RETRY_MIN_MS, backoff.next()),
        };
      case 'not-found':
        return {
          phase: 'not enterprise',
          reason: `404 on ${t.paths.join(' and ')}: not an Enterprise server, or the live API is not reachable at this URL; use a webhook source (source.<id>.type = "webhook") and point Stalwart's webhook.<id>.url at it`,
          wait: NOT_FOUND_RETRY_MS,
        };
      case 'tls':
        return { phase: 'tls error', reason: `${t.reason} (set allow-invalid-certs = true to accept a self-signed certificate)`, wait: backoff.next() };
      case 'error':
        return { phase: 'retrying', reason: t.reason, wait: backoff.next() };
    }
  }

  /**
   * Streams until the connection ends; `streamed` when a trace frame or a second ping arrived
   * (v0.16 greets every stream with a ping: a stream that ends after it was no healthy one).
   */
  private async stream(routes: Routes, token: string): Promise<{ outcome: Outcome; streamed: boolean }> {
    const url = new URL(this.cfg.url + routes.tracing);
    url.searchParams.set('token', token);
    if (this.cfg.filter !== undefined) url.searchParams.set('filter', this.cfg.filter);
    for (const [k, v] of Object.entries(this.cfg.filters)) url.searchParams.set(k, v);
    this.connections++;
    // The server's list starts empty on every stream; only v0.16 repeats (v0.15 takes the list).
    this.repeats.forget();
    const skipRepeats = routes.generation === 'v0.16';
    const restartAt = restartBytes(this.cfg.maxFrameBytes);
    let streamed = false;
    let pings = 0;
    const conn = this.open(url, {
      threaded: true,
      ...(parseOnThread()
        ? {
            ingest: {
              skipRepeats,
              restartAt,
              onTrace: (f: ThreadFrame) => {
                streamed = true;
                this.threadFrame(f, conn);
                this.refresh();
              },
            },
          }
        : {}),
      events: ['trace', 'ping'],
      pingIntervalMs: () => this.pingIntervalMs,
      onOpen: () => this.show('streaming', `streaming from ${routes.tracing} (${routes.generation})`),
      onFrame: (event, data) => {
        if (event === 'ping') {
          if (++pings > 1) streamed = true;
          this.onPing(data);
        } else {
          streamed = true;
          this.traceFrame(data, skipRepeats, conn);
          if (this.repeats.seen && data.length >= restartAt) {
            conn.restart(data.length);
            // Said at once: on its own thread the stream ends a moment later, not within this call.
            this.show('connecting', `restarting the stream: ${repeatsNote(this.restarts + 1)}`);
          }
        }
        this.refresh();
      },
    });
    const { outcome, cutBytes } = await conn.done;
    if (cutBytes > 0 && outcome.kind !== 'restart') this.ingest.cut(cutBytes);
    if (outcome.kind === 'oversize') this.ingest.oversize(outcome.bytes, this.cfg.maxFrameBytes);
    return { outcome, streamed };
  }

  /** A trace frame into the ingest, without the events a v0.16 server already sent on this stream. */
  private traceFrame(data: string, skipRepeats: boolean, conn: Connection): void {
    if (!skipRepeats) return this.ingest.frame(data, conn.watch());
    const seen = this.repeats.seen;
    const fresh = this.repeats.next(data);
    if (!seen && this.repeats.seen) this.warnRepeats();
    if (fresh === undefined) {
      this.ingest.lastFrameAt = this.deps.now();
      return;
    }
    const malformed = this.ingest.malformedFrames;
    this.ingest.frame(fresh, conn.watch());
    if (this.ingest.malformedFrames !== malformed) this.repeats.forget();
  }

  /** Once per source, as a warning (no error): the status keeps the count (details.repeats). */
  private warnRepeats(): void {
    const at = restartBytes(this.cfg.maxFrameBytes);
    (this.ctx.warn ?? this.ctx.error)(`Stalwart v0.16 resends every event in every frame: repeats are skipped, and the stream is restarted whenever a frame reaches ${at} bytes (docs/stalwart.md §4)`);
  }

  /** A trace frame read on the stream's thread: the repeat counters, then its events into the ingest. */
  private threadFrame(f: ThreadFrame, conn: Connection): void {
    const seen = this.repeats.seen;
    this.repeats.repeatFrames = f.repeatFrames;
    this.repeats.skippedBytes = f.skippedBytes;
    if (!seen && this.repeats.seen) this.warnRepeats();
    if (f.trace === undefined) {
      this.ingest.lastFrameAt = this.deps.now();
      return;
    }
    this.ingest.fromThread(f.trace, conn.watch());
  }

  private onPing(data: string): void {
    this.ingest.lastFrameAt = this.deps.now();
    try {
      const v = JSON.parse(data) as { interval?: unknown };
      if (typeof v.interval === 'number' && v.interval >= 10) this.pingIntervalMs = v.interval;
    } catch {
      this.ctx.error(`malformed ping frame: ${data.slice(0, 80)}`);
    }
  }

  /** One SSE connection with this source's TLS, timeout, frame limit, clock and stop signal. */
  private open(url: URL, { threaded, ingest, ...o }: Pick<ConnectionOptions, 'events' | 'pingIntervalMs' | 'onOpen' | 'onFrame' | 'ingest'> & { threaded?: boolean }): Connection {
    const options: ConnectionOptions = {
      url,
      allowInvalidCerts: this.cfg.allowInvalidCerts,
      timeoutMs: this.cfg.timeoutMs,
      maxFrameBytes: this.cfg.maxFrameBytes,
      now: this.deps.now,
      signal: this.ctx.signal,
      ...o,
    };
    return threaded && this.thread?.usable ? this.thread.connect({ ...options, ...(ingest ? { ingest } : {}) }) : connect(options);
  }

  private async metricsLoop(): Promise<void> {
    const backoff = new Backoff(this.deps.random);
    const signal = this.ctx.signal;
    while (!signal.aborted) {
      const t = await this.tokens.fetch('metrics', signal);
      if (signal.aborted) break;
      let wait: number;
      if (t.kind === 'ok') {
        const url = new URL(this.cfg.url + t.routes.metrics);
        url.searchParams.set('token', t.token);
        url.searchParams.set('interval', String(this.cfg.metricsIntervalMs / 1000));
        url.searchParams.set('metrics', LIVE_GAUGES.join(','));
        let streamed = false;
        let frames = 0;
        const conn = this.open(url, {
          events: ['metrics'],
          // The metrics stream has no ping: silence up to two intervals (and a margin) is normal.
          pingIntervalMs: () => this.cfg.metricsIntervalMs + 5_000,
          onOpen: () => this.ctx.setState(this.state, { metrics: 'streaming' }),
          onFrame: (_event, data) => {
            // Both generations send the first snapshot at once: only a second one shows a healthy stream.
            if (++frames > 1) streamed = true;
            const m = this.metrics.frame(data, this.deps.now());
            if (typeof m === 'string') this.ctx.error(`malformed metrics frame: ${m}`);
            else this.ctx.setServerMetrics?.(m);
          },
        });
        const { outcome } = await conn.done;
        if (outcome.kind === 'stopped') break;
        if (streamed) backoff.reset();
        wait = outcome.kind === 'auth' ? Math.max(AUTH_RETRY_MIN_MS, backoff.next()) : backoff.next();
        this.ctx.setState(this.state, { metrics: `reconnecting: ${describeOutcome(outcome)}` });
      } else {
        const f = this.tokenFailure(t, backoff);
        wait = t.kind === 'auth' ? Math.max(AUTH_RETRY_MIN_MS * 3, f.wait) : f.wait;
        const why = t.kind === 'auth' ? `HTTP ${t.status} from ${t.path}: the account needs the metrics-live permission` : f.reason;
        this.ctx.setState(this.state, { metrics: `unavailable: ${why}` });
      }
      await this.deps.sleep(wait, signal);
    }
  }
}

/**
 * Stalwart v0.16 lower-cases a filter parameter's name, then looks it up among the camelCase key
 * names (crates/http/src/api/telemetry.rs:59): a key of more than one word (`remote-ip`, which
 * v0.15 reads) matches nothing there and is silently dropped, so the stream is not filtered by it.
 */
function v016Ignored(filters: Record<string, string>): { filtersIgnored?: string } {
  const multi = Object.keys(filters).filter((k) => k.includes('-'));
  if (multi.length === 0) return {};
  return { filtersIgnored: `${multi.map((k) => `filters.${k}`).join(', ')}: a v0.16 server cannot filter on a key of more than one word and ignores it, so the stream is not filtered by it` };
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'dropped':
      return `stream ended: ${o.reason}`;
    case 'auth':
      return `HTTP ${o.status} on the stream: the token was refused (check auth.username/secret if this repeats)`;
    case 'not-found':
      return 'HTTP 404 on the stream route';
    case 'tls':
      return `${o.reason} (set allow-invalid-certs = true to accept a self-signed certificate)`;
    case 'oversize':
      return `a frame grew past max-frame (${o.bytes} bytes): reconnected`;
    case 'dead':
      return `nothing received for ${Math.round(o.silentMs / 1000)} s (twice the ping interval): reconnected`;
    case 'restart':
      return `restarted the stream at a ${o.bytes}-byte frame: the server repeats every event`;
    case 'stopped':
      return 'stopped';
  }
}
