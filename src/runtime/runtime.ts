import { selectedEvents } from '../catalogue/selection.js';
import type { SinkConfig } from '../config/sinks.js';
import type { Config } from '../load-config.js';
import { createMetrics, createOtlpPusher, type Metrics, type MetricsSnapshot, type OtlpPusher, type OtlpStatus } from '../metrics/index.js';
import { addPrometheusRoute } from '../http/prometheus-route.js';
import { startHttpServer, type HttpServer } from '../http/server.js';
import type { SinkKind } from '../sinks/kind.js';
import { configuredSinks } from '../sinks/registry.js';
import { createSource, unavailableSource } from '../sources/index.js';
import { CaptureStream } from './capture.js';
import { Collector } from './collector.js';
import type { TelemetryEvent } from './event.js';
import { makeFilter } from './filter.js';
import { RepeatLimiter } from './repeats.js';
import { SourceHost } from './source-host.js';
import { Subscriber } from './subscriber.js';
import type { Command, RuntimeApi, Sink, Snapshot, Source } from './types.js';

export const VERSION = '0.1.0';

export interface RuntimeOptions {
  /** Events kept for the console's scrollback (default 10,000). */
  historySize?: number;
  /** Where console tracers write (default stderr). */
  consoleOut?: NodeJS.WritableStream;
  /** Keep console tracer output in memory (`Snapshot.consoleLines`) instead: the screen is up. */
  captureConsole?: boolean;
  serviceVersion?: string;
  now?: () => number;
}

type Message = Snapshot['messages'][number];
const MAX_MESSAGES = 200;
/** A sink failure that repeats raises its error event (and message) once per this, with the count. */
export const REPEAT_INTERVAL_MS = 10_000;

/** The whole telemetry pipeline of one config: sources → collector → subscribers → sinks. */
export class Runtime implements RuntimeApi {
  readonly collector: Collector;
  readonly metrics: Metrics;
  readonly startedAt: number;
  private subscribers: Subscriber[] = [];
  private sources: SourceHost[] = [];
  private pusher: OtlpPusher | undefined;
  /** mailtel's HTTP listener (`http.listen`): Prometheus scrape, later the event streams. */
  http: HttpServer | undefined;
  private messages: Message[] = [];
  private readonly listeners = new Set<(m: Message) => void>();
  private readonly repeats = new RepeatLimiter(REPEAT_INTERVAL_MS);
  private paused = false;
  private stopping: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly capture: CaptureStream | undefined;

  constructor(
    readonly config: Config,
    private readonly opts: RuntimeOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.capture = opts.captureConsole ? new CaptureStream() : undefined;
    this.collector = new Collector(config.levelOverrides, opts.historySize ?? 10_000, this.now);
    this.metrics = createMetrics(config.metrics);
    this.collector.observe((ev) => this.metrics.observe(ev));
    for (const w of config.warnings) this.message('warn', `${w.file}:${w.line}: ${w.key}: ${w.message}`, 'config');
  }

  /** Opens every sink, starts the metrics pusher, then the sources. A stop during start waits for it. */
  start(): Promise<void> {
    this.starting ??= this.startAll();
    return this.starting;
  }

  private async startAll(): Promise<void> {
    const deps = { consoleOut: this.capture ?? this.opts.consoleOut ?? process.stderr, serviceVersion: this.opts.serviceVersion ?? VERSION };
    for (const { section, kind, cfg } of configuredSinks(this.config)) {
      let sink: Sink;
      const unavailable = kind.unavailable?.(cfg);
      try {
        if (unavailable) throw new Error(unavailable);
        sink = await kind.build(cfg, deps);
      } catch (err) {
        // Still a row in the sinks pane: failing, with the reason, its events counted as lost.
        sink = unavailableSink(cfg.id, kind.name, `${section} ${cfg.id}: ${errorText(err)}`);
      }
      this.addSubscriber(sink, kind, cfg);
    }
    this.collector.subscribers = this.subscribers;
    await Promise.all(this.subscribers.map((s) => s.start()));
    this.pusher = await createOtlpPusher(this.config.metrics, this.metrics, {
      raise: (type, data) => this.raise(type, data),
      message: (level, text) => this.message(level, text, 'otlp'),
      serviceVersion: deps.serviceVersion,
      now: this.now,
    });
    await this.pusher?.start();
    await this.startHttp();
    for (const s of this.config.sources) {
      if (this.stopping) break;
      const why = unavailableSource(s);
      let source;
      try {
        if (why) throw new Error(why);
        source = createSource(s);
      } catch (err) {
        // A row in the sources pane, failing with the reason, never a silent gap.
        source = failedSource(s.id, s.type, errorText(err));
      }
      const host = new SourceHost(source, {
        ingest: (ev) => this.collector.ingest(ev),
        held: () => this.paused || this.collector.full,
        message: (level, text) => this.message(level, text, `source ${s.id}`),
        now: this.now,
      });
      this.sources.push(host);
      host.start();
    }
  }

  private async startHttp(): Promise<void> {
    const listen = this.config.http.listen;
    if (!listen) {
      if (this.config.metrics.prometheus.enable) this.message('warn', 'metrics.prometheus.enable is set but http.listen is not: nothing serves /metrics/prometheus', 'http');
      return;
    }
    try {
      this.http = await startHttpServer(listen);
      if (addPrometheusRoute(this.http, this.metrics, this.config.metrics.prometheus)) this.message('info', `Prometheus scrape at ${this.http.url}/metrics/prometheus`);
    } catch (err) {
      this.message('error', `http.listen ${listen}: ${errorText(err)}`, 'http');
    }
  }

  /** One subscriber per sink, fed the way its kind says (level, batch, throttle, queue...). */
  private addSubscriber(sink: Sink, kind: SinkKind<any>, cfg: SinkConfig): void {
    const p = kind.policy(cfg);
    const filter = makeFilter(cfg.events, p.level ?? 'trace', p.errorEvent);
    const selected = selectedEvents(cfg.events, p.level, kind.name, this.config.levelOverrides).size;
    const opts = { ...p, id: p.idPrefix + cfg.id };
    const sub = new Subscriber(sink, opts, filter, selected, {
      onError: (s, msg) => this.sinkFailed(s, msg),
      onDrain: () => this.release(),
      now: this.now,
    });
    // `enable = false` keeps the sink in the pipeline, switched off: the console can switch it on.
    if (!cfg.enable) sub.setEnabled(false);
    this.subscribers.push(sub);
  }

  /** One message and one error event per distinct failure per interval, with how many it stands for. */
  private sinkFailed(sub: Subscriber, message: string): void {
    const id = sub.counters.id;
    const count = this.repeats.pass(`${sub.counters.subscriberId}\0${message}`, this.now());
    if (count === undefined) return;
    const times = count > 1 ? ` (${count} times in the last ${REPEAT_INTERVAL_MS / 1000} s)` : '';
    this.message('error', `sink ${sub.counters.subscriberId}: ${message}${times}`, `sink ${sub.counters.subscriberId}`);
    const ev = sub.opts.errorEvent;
    if (ev && !this.stopping) this.raise(ev, count > 1 ? { id, details: message, total: count } : { id, details: message });
  }

  /** Raises one of the runtime's own events (a sink's error event) into the pipeline. */
  raise(type: string, data: Record<string, string | number>): void {
    this.collector.ingest({ type, data });
  }

  private release(): void {
    for (const s of this.sources) s.release();
  }

  /** Adds to the runtime's log; `origin` names who said it (rate limits go per origin). */
  message(level: Message['level'], text: string, origin = 'mailtel'): void {
    const m: Message = { at: this.now(), level, text, origin };
    this.messages.push(m);
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    for (const fn of this.listeners) fn(m);
  }

  /** Calls `fn` with every message from now on (headless prints them to stderr). */
  onMessage(fn: (m: Message) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  command(c: Command): void {
    switch (c.kind) {
      case 'toggle-sink':
      case 'set-sink': {
        const sub = this.subscribers.find((s) => s.counters.id === c.id || s.counters.subscriberId === c.id);
        if (!sub) return this.message('warn', `no sink named ${c.id}`);
        sub.setEnabled(c.kind === 'toggle-sink' ? !sub.counters.enabled : c.enabled);
        return this.message('info', `sink ${sub.counters.id} ${sub.counters.enabled ? 'enabled' : 'disabled'}`);
      }
      case 'push-metrics':
        if (!this.pusher) return this.message('warn', 'OTLP metrics push is not configured');
        this.pusher.pushNow().catch((err: unknown) => this.message('error', `push failed: ${errorText(err)}`, 'otlp'));
        return;
      case 'flush-webhooks':
        for (const s of this.subscribers) if (s.counters.type === 'webhook') s.flushNow();
        return;
      case 'pause':
        this.paused = c.paused;
        for (const s of this.sources) s.setPaused(c.paused);
        if (!c.paused) this.release();
        return;
    }
  }

  snapshot(): Snapshot {
    const now = this.now();
    const c = this.collector;
    return {
      at: now,
      startedAt: this.startedAt,
      seq: c.stats.events,
      paused: this.paused,
      sources: this.sources.map((s) => s.snapshot(now)),
      sinks: this.subscribers.map((s) => s.status(now)),
      collector: {
        events: c.stats.events,
        malformed: this.sources.reduce((n, s) => n + s.status.errors, 0),
        unknownTypes: c.stats.unknownTypes,
        rate1s: c.rate.rate1s(now),
        rate10s: c.rate.rate10s(now),
        backpressured: c.full,
      },
      otlp: this.pusher?.status() ?? notConfigured(),
      webhooksConfigured: this.config.webhooks.some((w) => w.enable),
      deliveries: [],
      messages: this.messages.slice(),
      ...(this.capture ? { consoleLines: this.capture.lines.slice(-100) } : {}),
    };
  }

  metricsSnapshot(view: 'total' | 'since-mark' = 'total'): MetricsSnapshot {
    return this.metrics.snapshot(view);
  }

  markMetrics(): void {
    this.metrics.mark();
  }

  recentEvents(): readonly TelemetryEvent[] {
    return this.collector.history.toArray();
  }

  spanEvents(spanId: string): TelemetryEvent[] {
    return this.collector.history.span(spanId);
  }

  /** Resolves when every sink has written everything queued so far (tests, `flush`). */
  async idle(): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.idle()));
  }

  stop(timeoutMs = 5_000): Promise<void> {
    this.stopping ??= this.shutdown(timeoutMs);
    return this.stopping;
  }

  /**
   * Bounded by `timeoutMs` whatever a sink, exporter or peer does: sources stop, sinks deliver
   * until the deadline, then whatever is still queued or in flight is counted as not delivered,
   * a push in flight is abandoned (and recorded as such), and the listener closes.
   */
  private async shutdown(timeoutMs: number): Promise<void> {
    const deadline = this.now() + timeoutMs;
    const left = () => Math.max(0, deadline - this.now());
    await within(this.starting, left());
    await within(Promise.all(this.sources.map((s) => s.stop(Math.max(50, Math.min(timeoutMs / 4, 2_000))))), left());
    await Promise.all([...this.subscribers.map((s) => s.stop(deadline)), this.pusher?.stop(deadline)]);
    await within(this.http?.close(), Math.max(left(), 100));
  }

  /** Sinks whose last attempt failed, sources that failed: what the final status names. */
  problems(): string[] {
    const s = this.snapshot();
    const out: string[] = [];
    for (const src of s.sources) if (src.state === 'failing') out.push(`source ${src.id}: ${src.lastError?.message ?? 'failing'}`);
    for (const k of s.sinks) {
      const failing = k.lastError && (k.lastSuccessAt === undefined || k.lastError.at >= k.lastSuccessAt);
      if (failing || k.droppedError > 0) out.push(`sink ${k.subscriberId}: ${k.lastError?.message ?? 'failing'}${k.droppedError ? ` (${k.droppedError} events not delivered)` : ''}`);
    }
    const p = s.otlp;
    const last = p.pushes[p.pushes.length - 1];
    if (p.configured && last && !last.ok) out.push(`otlp push: ${last.error ?? 'failed'} (${p.failedPushes} of ${p.totalPushes} pushes failed)`);
    return out;
  }
}

/** Stands in for a sink that could not be built, so it shows as failing instead of vanishing. */
function unavailableSink(id: string, type: string, error: string): Sink {
  const fail = async () => ({ ok: false as const, error, retry: false });
  return { id, type, target: '(unavailable)', start: fail, write: fail };
}

/** Stands in for a source that cannot run here: a failing row with the reason. */
function failedSource(id: string, type: string, reason: string): Source {
  return {
    id,
    type,
    target: '(unavailable)',
    run: async (ctx) => ctx.fail(reason),
  };
}

/** Waits for `p`, at most `ms`. */
async function within(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p?.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

function notConfigured(): OtlpStatus {
  return { configured: false, transport: 'disable', endpoint: '', intervalMs: 0, state: 'stopped', pushes: [], totalPushes: 0, failedPushes: 0 };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function createRuntime(config: Config, opts?: RuntimeOptions): Promise<Runtime> {
  const rt = new Runtime(config, opts);
  return rt;
}
