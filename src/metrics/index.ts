import type { MetricsConfig } from '../config/types.js';
import type { TelemetryEvent } from '../runtime/event.js';
import type { OtlpStatus } from '../runtime/types.js';

// STUB: replaced by the metrics implementation (issue 4).
/** Stalwart's metric set computed from the event stream (§6). Sees every collected event. */
export interface Metrics {
  observe(ev: TelemetryEvent): void;
}

export function createMetrics(_cfg: MetricsConfig): Metrics {
  return { observe() {} };
}

/** Hooks the OTLP pusher uses to reach the runtime. */
export interface PusherHooks {
  /** Raises an internal event (e.g. telemetry.otel-metrics-exporter-error). */
  raise(type: string, data: Record<string, string | number>): void;
  serviceVersion: string;
}

export interface OtlpPusher {
  start(): Promise<void>;
  status(): OtlpStatus;
  pushNow(): Promise<void>;
  stop(): Promise<void>;
}

/** Undefined when `metrics.open-telemetry.transport` is `disable`. */
export async function createOtlpPusher(_cfg: MetricsConfig, _metrics: Metrics, _hooks: PusherHooks): Promise<OtlpPusher | undefined> {
  return undefined;
}
