/**
 * The OTLP metrics push (`metrics.open-telemetry.*`): a timer every `interval` (default 1 m),
 * `pushNow()` on demand, and a status record of every push. A failed push is a `failing` status,
 * a `telemetry.otel-metrics-exporter-error` event and a retry at the next interval, never a
 * crash. The OpenTelemetry packages load on `createOtlpPusher`, never before.
 */
import { displayEndpoint, transportLabel } from '../otlp/endpoint.js';
import { EXPORT_GUARD_MS } from '../otlp/export.js';
import { describeOtlpError } from '../otlp/errors.js';
import { diagnoseOtlp } from '../otlp/hints.js';
import type { MetricsConfig } from './config.js';
import type { Metrics } from './types.js';

/** One OTLP metrics push, newest last in `OtlpStatus.pushes`. */
export interface PushRecord {
  startedAt: number;
  durationMs: number;
  dataPoints: number;
  ok: boolean;
  error?: string;
  /** One-line hint for the usual mistakes (wrong port, missing /v1/metrics...). */
  hint?: string;
}

/** The pusher's state; the same words as a sink's state where they overlap. */
export type PushState = 'starting' | 'ok' | 'failing' | 'disabled' | 'stopped';

export interface OtlpStatus {
  configured: boolean;
  /** `grpc`, `http/protobuf`, `http/json` or `disable`. */
  transport: string;
  endpoint: string;
  intervalMs: number;
  nextPushAt?: number;
  /** When the push now in flight started; undefined when none is. */
  pushingSince?: number;
  state: PushState;
  pushes: PushRecord[];
  totalPushes: number;
  failedPushes: number;
}

/** Hooks the OTLP pusher uses to reach the runtime. */
export interface PusherHooks {
  /** Raises an internal event (e.g. telemetry.otel-metrics-exporter-error). */
  raise(type: string, data: Record<string, string | number>): void;
  serviceVersion: string;
  /** The runtime's clock (ms), for push times and the next-push countdown. */
  now?: () => number;
  /** A failed push, in words with its hint, for the runtime's messages (stderr headless). */
  message?(level: 'warn' | 'error', text: string): void;
}

export interface OtlpPusher {
  /** Schedules the first push one interval from now. */
  start(): Promise<void>;
  status(): OtlpStatus;
  /** Pushes now (after a push in flight, if any) and restarts the interval. Never rejects. */
  pushNow(): Promise<void>;
  /**
   * Stops the timer, waits for a push in flight and closes the exporter, never past `deadline`
   * (ms, the runtime's clock; default: the push timeout from now). A push still in flight then
   * is recorded as failed: not delivered.
   */
  stop(deadline?: number): Promise<void>;
}

/** Pushes kept in `status().pushes`, newest last. */
export const PUSH_HISTORY = 50;
export const EXPORTER_ERROR_EVENT = 'telemetry.otel-metrics-exporter-error';

/** The status to show when `metrics.open-telemetry.transport` is `disable`. */
export function disabledOtlpStatus(): OtlpStatus {
  return { configured: false, transport: 'disable', endpoint: '', intervalMs: 0, state: 'disabled', pushes: [], totalPushes: 0, failedPushes: 0 };
}

function waitAtMost(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);
}

/** Undefined when `metrics.open-telemetry.transport` is `disable`. */
export async function createOtlpPusher(cfg: MetricsConfig, metrics: Metrics, hooks: PusherHooks): Promise<OtlpPusher | undefined> {
  if (cfg.otel.transport === 'disable') return undefined;
  const s = cfg.otel;
  const { createMetricsExport } = await import('./otlp-exporter.js');
  const exp = await createMetricsExport(s, metrics, hooks.serviceVersion);

  const now = hooks.now ?? Date.now;
  let state: PushState = 'starting';
  const pushes: PushRecord[] = [];
  let total = 0;
  let failed = 0;
  let timer: NodeJS.Timeout | undefined;
  let nextPushAt: number | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let pushingSince: number | undefined;
  let abandoned = false;

  function record(rec: PushRecord): void {
    total++;
    if (rec.ok) state = 'ok';
    else {
      failed++;
      state = 'failing';
      hooks.message?.('error', `OTLP metrics push to ${displayEndpoint(s)} failed: ${rec.error}${rec.hint ? ` (hint: ${rec.hint})` : ''}`);
    }
    pushes.push(rec);
    if (pushes.length > PUSH_HISTORY) pushes.shift();
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    nextPushAt = now() + s.intervalMs;
    timer = setTimeout(() => void pushNow(), s.intervalMs);
    timer.unref();
  }

  async function pushOnce(): Promise<void> {
    if (abandoned) return;
    const startedAt = now();
    pushingSince = startedAt;
    const out = await exp.pushOnce();
    pushingSince = undefined;
    if (abandoned) return;
    const rec: PushRecord = { startedAt, durationMs: now() - startedAt, dataPoints: out.dataPoints, ok: out.ok };
    if (!out.ok) {
      rec.error = describeOtlpError(out.error);
      const hint = diagnoseOtlp(s, out.error);
      if (hint) rec.hint = hint;
      try {
        hooks.raise(EXPORTER_ERROR_EVENT, { details: 'OpenTelemetry metrics push failed', reason: rec.error! });
      } catch {
        // The runtime's hook failing must not break the push loop.
      }
    }
    record(rec);
  }

  function pushNow(): Promise<void> {
    if (stopped) return Promise.resolve();
    schedule();
    chain = chain.then(pushOnce, pushOnce);
    return chain;
  }

  return {
    async start() {
      stopped = false;
      schedule();
    },
    status() {
      return {
        configured: true,
        transport: transportLabel(s),
        endpoint: displayEndpoint(s),
        intervalMs: s.intervalMs,
        nextPushAt: stopped ? undefined : nextPushAt,
        ...(pushingSince !== undefined ? { pushingSince } : {}),
        state,
        pushes: pushes.map((p) => ({ ...p })),
        totalPushes: total,
        failedPushes: failed,
      };
    },
    pushNow,
    async stop(deadline = now() + s.timeoutMs + EXPORT_GUARD_MS) {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      nextPushAt = undefined;
      const left = () => Math.max(0, deadline - now());
      await waitAtMost(chain, left());
      if (pushingSince !== undefined) {
        const startedAt = pushingSince;
        abandoned = true;
        pushingSince = undefined;
        record({ startedAt, durationMs: now() - startedAt, dataPoints: 0, ok: false, error: 'not delivered: the stop timeout ended the push in flight' });
      }
      await waitAtMost(exp.shutdown(), Math.max(left(), 50));
      state = 'stopped';
    },
  };
}
