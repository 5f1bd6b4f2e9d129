import { join } from 'node:path';
import { EVENTS } from '../catalogue/index.js';
import { selectedEvents } from '../catalogue/selection.js';
import type { SinkConfig } from '../config/sinks.js';
import type { Config } from '../load-config.js';
import { createMetrics, createOtlpPusher, type Metrics, type MetricsSnapshot, type OtlpPusher, type OtlpStatus } from '../metrics/index.js';
import type { HttpServer } from '../http/server.js';
import type { StreamServer } from '../http/streams.js';
import type { HttpListenerStatus } from '../http/describe.js';
import type { SinkKind } from '../sinks/kind.js';
import { configuredSinks } from '../sinks/registry.js';
import { createRecordSink, recordFileName, saveEvents } from '../record/record-sink.js';
import { createSource, unavailableSource } from '../sources/index.js';
import { CaptureStream } from './capture.js';
import { Collector } from './collector.js';
import type { TelemetryEvent } from './event.js';
import { makeFilter } from './filter.js';
import { MailIndex } from './mail-index.js';
import { RepeatLimiter } from './repeats.js';
import { SourceHost } from './source-host.js';
import { Subscriber } from './subscriber.js';
import type { WebhookLedger } from '../sinks/webhook/ledger.js';
import type { Command, DeliveryRecord, RuntimeApi, Sink, Snapshot, Source, SubscribeContext, SubscriberLike } from './types.js';

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
  /** `--record FILE`: record every event from the start (src/record). */
  record?: string;
  /** Where console-started recordings and saved histories go (default the current directory). */
  recordDir?: string;
  /** Keep the mail views' index (default: when the screen is up, `captureConsole`). */
  mailIndex?: boolean;
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
  /** Messages, destination domains and security counts for the mail views (only with a screen). */
  readonly mail: MailIndex | undefined;
  private subscribers: SubscriberLike[] = [];
  private sources: SourceHost[] = [];
  private pusher: OtlpPusher | undefined;
  /** mailtel's HTTP listener (`http.listen`): Prometheus scrape and the live event streams. */
  http: HttpServer | undefined;
  private describeHttp: typeof import('../http/describe.js').httpStatus | undefined;
  /** Stalwart's live tracing and metrics endpoints on that listener; a row in the sinks pane. */
  streams: StreamServer | undefined;
  private httpError: string | undefined;
  private messages: Message[] = [];
  private readonly listeners = new Set<(m: Message) => void>();
  private readonly repeats = new RepeatLimiter(REPEAT_INTERVAL_MS);
  private paused = false;
  private recording: Subscriber | undefined;
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
    // Only the console's mail views read the index: headless, it would be per-event work for nobody.
    if (opts.mailIndex ?? opts.captureConsole) {
      const mail = (this.mail = new MailIndex());
      this.collector.observe((ev) => mail.observe(ev, this.now()));
    }
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
      if (kind.subscribe) {
        await kind.load?.();
        this.subscribers.push(kind.subscribe(cfg, this.subscribeContext(kind, cfg)));
        continue;
      }
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
    if (this.opts.record) await this.startRecording(this.opts.record);
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
    // The listener's code (node:http, crypto) loads only when one is configured.
    const { StreamServer, startHttpServer, addPrometheusRoute, httpStatus } = await import('./network.js');
    this.describeHttp = httpStatus;
    const streams = new StreamServer(this.config.http, {
      metrics: () => this.metrics.snapshot('total'),
      message: (level, text) => this.message(level, text),
      now: this.now,
    });
    this.streams = streams;
    try {
      this.http = await startHttpServer(listen);
      if (addPrometheusRoute(this.http, this.metrics, this.config.metrics.prometheus)) this.message('info', `Prometheus scrape at ${this.http.url}/metrics/prometheus`);
      streams.attach(this.http);
      this.collector.observe((ev) => streams.observe(ev));
      this.message('info', `live streams at ${this.http.url}/api/live/tracing and /api/telemetry/traces/live (and metrics)`);
    } catch (err) {
      this.message('error', `http.listen ${listen}: ${errorText(err)}`, 'http');
      this.httpError = errorText(err);
      streams.listenFailed(`http.listen ${listen}: ${errorText(err)}`);
    }
  }

  /** One subscriber per sink, fed the way its kind says (level, batch, throttle, queue...). */
  private addSubscriber(sink: Sink, kind: SinkKind<any>, cfg: SinkConfig): void {
    const p = kind.policy(cfg);
    const filter = makeFilter(cfg.events, p.level ?? 'trace', p.errorEvent);
    const selected = selectedEvents(cfg.events, p.level, kind.name, this.config.levelOverrides).size;
    const opts = { ...p, id: p.idPrefix + cfg.id };
    const sub = new Subscriber(sink, opts, filter, selected, {
      onError: (s, msg, event) => this.sinkFailed(s, msg, event),
      onDrain: () => this.release(),
      now: this.now,
    });
    // `enable = false` keeps the sink in the pipeline, switched off: the console can switch it on.
    if (!cfg.enable) sub.setEnabled(false);
    this.subscribers.push(sub);
  }

  /** Starts recording every event into `path` (default `mailtel-<UTC time>.ndjson`); the file. */
  async startRecording(path?: string): Promise<string> {
    if (this.recording) return this.recording.sink.target;
    const file = path ?? join(this.opts.recordDir ?? '.', recordFileName(this.now()));
    const sub: Subscriber = new Subscriber(createRecordSink(file), { id: 'record', lossy: true, queueSize: 65_536, batchSize: 4096, throttleMs: 0, discardAfterMs: 0 }, (): boolean => this.recording === sub, EVENTS.length, {
      onError: (_s, msg) => this.message('error', `recording: ${msg}`),
      onDrain: () => undefined,
      now: this.now,
    });
    // A stopped recording's row goes; the new one takes its place.
    this.subscribers = this.subscribers.filter((x) => x.counters.id !== 'record');
    this.subscribers.push(sub);
    this.collector.subscribers = this.subscribers;
    this.recording = sub;
    await sub.start();
    this.message('info', `recording to ${file}`);
    return file;
  }

  /** Stops the recording (what is queued is written first); its row stays, stopped. */
  async stopRecording(): Promise<void> {
    const sub = this.recording;
    if (!sub) return;
    this.recording = undefined;
    await sub.stop(this.now() + 5_000);
    this.message('info', `recording stopped: ${sub.counters.written} events in ${sub.sink.target}`);
  }

  /** Writes `events` (the console's filtered history) to a new recording file; the file. */
  async saveEvents(events: readonly TelemetryEvent[], path?: string): Promise<string> {
    const file = path ?? join(this.opts.recordDir ?? '.', recordFileName(this.now()).replace('.ndjson', '-saved.ndjson'));
    const n = await saveEvents(file, events);
    this.message('info', `saved ${n} events to ${file}`);
    return file;
  }

  /** What a kind with its own delivery loop (webhooks) gets to build its subscriber. */
  private subscribeContext(kind: SinkKind<any>, cfg: SinkConfig): SubscribeContext {
    const p = kind.policy(cfg);
    return {
      filter: makeFilter(cfg.events, p.level ?? 'trace', p.errorEvent),
      eventsSelected: selectedEvents(cfg.events, p.level, kind.name, this.config.levelOverrides).size,
      raise: (type, data) => this.raise(type, data),
      message: (level, text) => this.message(level, text),
      onDrain: () => this.release(),
      now: this.now,
    };
  }

  /** One message and one error event per distinct failure per interval, with how many it stands for. */
  private sinkFailed(sub: Subscriber, message: string, event?: Record<string, string | number>): void {
    const id = sub.counters.id;
    // "…: 3 events lost" and "…: 5 events lost" are one failure: the count of events is not its identity.
    const kind = message.replace(/\b\d+ events?\b/g, 'N events');
    const count = this.repeats.pass(`${sub.counters.subscriberId}\0${kind}`, this.now());
    if (count === undefined) return;
    const times = count > 1 ? ` (${count} times in the last ${REPEAT_INTERVAL_MS / 1000} s)` : '';
    this.message('error', `sink ${sub.counters.subscriberId}: ${message}${times}`, `sink ${sub.counters.subscriberId}`);
    const ev = sub.opts.errorEvent;
    if (!ev || this.stopping) return;
    const data = event ?? { id, details: message };
    this.raise(ev, count > 1 ? { ...data, total: count } : data);
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
        if (this.streams && c.id === 'streams') {
          this.streams.setEnabled(c.kind === 'toggle-sink' ? !this.streams.isEnabled() : c.enabled);
          return this.message('info', `event streams ${this.streams.isEnabled() ? 'enabled' : 'disabled (streams closed; tokens still issued)'}`);
        }
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
      case 'record':
        (c.on ? this.startRecording(c.path) : this.stopRecording()).catch((err: unknown) => this.message('error', `recording: ${errorText(err)}`));
        return;
      case 'save-events':
        this.saveEvents(c.events, c.path).catch((err: unknown) => this.message('error', `saving events: ${errorText(err)}`));
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
    const webhooks = this.ledgers(now);
    return {
      at: now,
      startedAt: this.startedAt,
      seq: c.stats.events,
      paused: this.paused,
      ...(this.recording ? { recording: this.recording.sink.target } : {}),
      sources: this.sources.map((s) => s.snapshot(now)),
      sinks: [...this.subscribers.map((s) => s.status(now)), ...(this.streams ? [this.streams.status(now)] : [])],
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
      webhooks,
      deliveries: this.deliveries(webhooks),
      messages: this.messages.slice(),
      ...(this.capture ? { consoleLines: this.capture.lines.slice(-100) } : {}),
      ...this.httpStatus(),
    };
  }

  private httpStatus(): { http?: HttpListenerStatus } {
    const h = this.describeHttp?.(this.config.http, this.config.metrics.prometheus.enable, this.http?.url, this.httpError);
    return h ? { http: h } : {};
  }

  /** The delivery ledger of every subscriber that keeps one (webhooks), in sink order. */
  private ledgers(now: number): WebhookLedger[] {
    const out: WebhookLedger[] = [];
    for (const s of this.subscribers) if (s.ledger) out.push(s.ledger(now));
    return out;
  }

  /** Every webhook's recent attempts, newest first. */
  private deliveries(ledgers: readonly WebhookLedger[]): DeliveryRecord[] {
    const all: DeliveryRecord[] = [];
    for (const l of ledgers) for (const a of l.recent) all.push({ ...a, webhookId: l.id });
    return all.sort((a, b) => b.at - a.at).slice(0, 100);
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

  holdHistory(events: number): void {
    this.collector.history.hold(events);
  }

  /** Settles when every source's run has returned (a source failing while it retries has not). */
  async sourcesEnded(): Promise<void> {
    await Promise.all(this.sources.map((h) => h.ended));
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
    this.streams?.close();
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
