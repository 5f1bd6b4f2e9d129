import type { HttpListenerStatus } from '../http/describe.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import type { OtlpStatus } from '../metrics/otlp-pusher.js';
import type { WebhookLedger } from '../sinks/webhook/ledger.js';

/** The metrics pusher's status types live with the pusher; re-exported for the screen. */
export type { OtlpStatus, PushRecord } from '../metrics/otlp-pusher.js';
import type { IncomingEvent, TelemetryEvent } from './event.js';
import type { MailReader } from './mail-index.js';

/** Result of one attempt to send one batch. A sink never throws across this boundary. */
export type WriteResult =
  | { ok: true }
  /**
   * `retry`: keep the batch and try again after `retryAfterMs` (default: the sink's throttle or 1 s).
   * `delivered`: the first `delivered` events of the batch did reach the peer: they count as
   * written and are neither retried nor dropped (a sink that sends event by event).
   * `event`: the keys of the sink's error event (Stalwart's `details`, `reason`...), when the sink knows them.
   */
  | { ok: false; error: string; retry: boolean; retryAfterMs?: number; delivered?: number; event?: Record<string, string | number> };

/**
 * A sink knows how to send one batch once. Queueing, batching, throttle, retry, enable/disable
 * and drop accounting live in the subscriber that wraps it.
 */
export interface Sink {
  readonly id: string;
  /** `log`, `console`, `journal`, `otel`, `webhook`, `http`. */
  readonly type: string;
  /** Short target description for the UI: a path, endpoint or URL (secrets masked). */
  readonly target: string;
  /** Opens files/sockets. A failure makes the sink `failing`, the runtime goes on. */
  start?(): Promise<WriteResult>;
  write(batch: readonly TelemetryEvent[]): Promise<WriteResult>;
  /** Makes everything already written durable (fsync-free: flush buffers). */
  flush?(): Promise<void>;
  close?(): Promise<void>;
  /** Extra figures the UI may show (e.g. current file name); plain JSON. */
  details?(): Record<string, string | number | boolean | null>;
}

export interface SubscriberOptions {
  /** Subscriber id: `t_<id>` for tracers, `w_<id>` for webhooks (docs/stalwart.md §1). */
  id: string;
  lossy: boolean;
  /** Events held before backpressure (non-lossy) or before dropping (lossy). */
  queueSize: number;
  /** Most events handed to one write. */
  batchSize: number;
  /** Minimum gap between two writes, ms (0 = none). */
  throttleMs: number;
  /** Drop events older than this before sending, ms (webhook discard-after; 0 = never). */
  discardAfterMs: number;
  /** The sink's own error event, raised by the runtime when a write fails. */
  errorEvent?: string;
}

export type SinkState = 'starting' | 'ok' | 'retrying' | 'failing' | 'disabled' | 'stopped';

export interface SinkStatus {
  id: string;
  subscriberId: string;
  type: string;
  target: string;
  enabled: boolean;
  state: SinkState;
  lossy: boolean;
  /** Catalogue events this sink can receive (after selection and level). */
  eventsSelected: number;
  /** Events offered to the subscriber while enabled. */
  received: number;
  written: number;
  /** Dropped on purpose: lossy overflow, discard-after. */
  droppedIntentional: number;
  /** Dropped because of a failure: a permanent write error. */
  droppedError: number;
  /** Offered while disabled: counted, not queued. */
  skipped: number;
  queueDepth: number;
  queueCapacity: number;
  /** Written events per second over the last 1 s and 10 s. */
  rate1s: number;
  rate10s: number;
  /** Written per second for the last 60 whole seconds, oldest first (sparkline). */
  history: number[];
  writes: number;
  failures: number;
  lastError?: { message: string; at: number };
  lastSuccessAt?: number;
  details: Record<string, string | number | boolean | null>;
}

export type SourceState = 'starting' | 'running' | 'connecting' | 'paused' | 'failing' | 'finished' | 'stopped';

export interface SourceStatus {
  id: string;
  type: string;
  target: string;
  state: SourceState;
  events: number;
  errors: number;
  rate1s: number;
  rate10s: number;
  startedAt: number;
  paused: boolean;
  lastError?: { message: string; at: number };
  details: Record<string, string | number | boolean | null>;
  /** The server's own metrics, for sources that stream them (a Stalwart live source). */
  serverMetrics?: ServerMetrics;
}

/** One server metric of a live `metrics` frame (docs/stalwart.md §4), cumulative since the server started. */
export interface ServerMetric {
  id: string;
  type: 'counter' | 'gauge' | 'histogram';
  value?: number;
  count?: number;
  sum?: number;
  /** Counters: the server's increase since mailtel's first snapshot of it. */
  delta?: number;
  /** Counters: events of this type mailtel received from this source over the same time. */
  received?: number;
}

export interface ServerMetrics {
  /** When the last frame arrived (ms). */
  at: number;
  items: ServerMetric[];
}

/** What a source gets from the runtime. */
export interface SourceContext {
  /**
   * Hands one event to the collector. Returns false when a non-lossy sink is full: the source
   * must `await ctx.ready()` before emitting more (backpressure).
   */
  emit(event: IncomingEvent): boolean;
  ready(): Promise<void>;
  /** A malformed input: counted and shown, never fatal. */
  error(message: string): void;
  /** The source cannot run (file missing, peer refused...): state `failing` with the reason; not a malformed input. */
  fail(message: string): void;
  /** Something the operator should know that is neither malformed input nor a failure (a runtime message, not counted). */
  warn?(message: string): void;
  setState(state: SourceState, details?: Record<string, string | number | boolean | null>): void;
  /** The server's own metrics, shown per source in the metrics view. */
  setServerMetrics?(m: ServerMetrics): void;
  /** Resolves when the source should stop; also `signal.aborted`. */
  signal: AbortSignal;
}

export interface Source {
  readonly id: string;
  readonly type: string;
  readonly target: string;
  /** Runs until done or `ctx.signal` aborts. Must not throw for bad input; may throw on bugs. */
  run(ctx: SourceContext): Promise<void>;
}

/** One webhook POST attempt, newest first in `Snapshot.deliveries`. */
export interface DeliveryRecord {
  at: number;
  webhookId: string;
  events: number;
  bytes?: number;
  status?: number;
  error?: string;
  latencyMs: number;
  attempt: number;
  nextAttemptAt?: number;
}

export interface Snapshot {
  /** When taken (ms). */
  at: number;
  startedAt: number;
  /** Increases with every collected event; the UI uses it to know there is news. */
  seq: number;
  paused: boolean;
  /** The file being recorded into (`--record` or the console's record key), while recording. */
  recording?: string;
  sources: SourceStatus[];
  sinks: SinkStatus[];
  collector: { events: number; malformed: number; unknownTypes: number; rate1s: number; rate10s: number; backpressured: boolean };
  otlp: OtlpStatus;
  webhooksConfigured: boolean;
  /** Each webhook's delivery ledger (src/sinks/webhook/ledger.ts). */
  webhooks: WebhookLedger[];
  deliveries: DeliveryRecord[];
  /** The console's own log (warnings and errors of the runtime), newest last, bounded. */
  messages: { at: number; level: 'info' | 'warn' | 'error'; text: string; origin?: string }[];
  /** Under the screen: the console tracer's last lines (captured instead of stderr). */
  consoleLines?: string[];
  /** mailtel's listener (`http.listen`): address, routes, auth kind (masked). */
  http?: HttpListenerStatus;
}

/** What the collector and the runtime need of a subscriber: the generic one, or a webhook's. */
export interface SubscriberLike {
  readonly counters: { id: string; subscriberId: string; type: string; enabled: boolean };
  readonly full: boolean;
  /** `id`: `t_<id>` for tracers (a `tracing.level` "disable" keeps events from them), `w_<id>`. */
  readonly opts: { readonly id: string };
  filter(type: string, level: TelemetryEvent['level']): boolean;
  offer(ev: TelemetryEvent): boolean;
  setEnabled(enabled: boolean): void;
  start(): Promise<void>;
  flushNow(): void;
  idle(): Promise<void>;
  stop(deadline: number): Promise<void>;
  status(now: number): SinkStatus;
  /** A webhook's delivery ledger (src/sinks/webhook/ledger.ts). */
  ledger?(now: number): WebhookLedger;
}

/** What a kind with its own subscriber (`SinkKind.subscribe`) gets from the runtime. */
export interface SubscribeContext {
  /** The kind's selection, own error event and level, cached per (type, level). */
  filter(type: string, level: TelemetryEvent['level']): boolean;
  eventsSelected: number;
  /** Raises one of the runtime's own events (a sink's error event). */
  raise(type: string, data: Record<string, string | number>): void;
  /** The console's own log. */
  message(level: 'info' | 'warn' | 'error', text: string): void;
  /** The subscriber stopped holding the sources back. */
  onDrain(): void;
  now(): number;
}

export type Command =
  | { kind: 'toggle-sink'; id: string }
  | { kind: 'set-sink'; id: string; enabled: boolean }
  | { kind: 'push-metrics' }
  | { kind: 'flush-webhooks' }
  | { kind: 'pause'; paused: boolean }
  /** Start (to `path`, default `mailtel-<UTC time>.ndjson`) or stop recording every event. */
  | { kind: 'record'; on: boolean; path?: string }
  /** Save these events (the console's filtered history) to a new recording file. */
  | { kind: 'save-events'; events: readonly TelemetryEvent[]; path?: string };

/** What the UI, headless mode and tests drive. Implemented by `Runtime` in runtime.ts. */
export interface RuntimeApi {
  /** A copy of every number the UI shows; cheap enough to call 10-30 times a second. */
  snapshot(): Snapshot;
  command(c: Command): void;
  /** The bounded history of collected events (default 10,000), oldest first. */
  recentEvents(): readonly TelemetryEvent[];
  /** Events of one span still in the history, oldest first. */
  spanEvents(spanId: string): TelemetryEvent[];
  /** Holds at most `events` in the history (up to its size): the console lowers it under heavy ingest. */
  holdHistory?(events: number): void;
  /** Stalwart's metric set computed from the stream: cumulative, or since `markMetrics()`. */
  metricsSnapshot(view?: 'total' | 'since-mark'): MetricsSnapshot;
  /** Starts the "since the console started" view of the counters. */
  markMetrics(): void;
  /** Messages, destination domains and security counts for the mail views (bounded). */
  readonly mail?: MailReader;
  /** Stops sources, flushes every sink within `timeoutMs`, closes them. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}
