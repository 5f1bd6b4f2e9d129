/**
 * Stalwart's metric set (docs/stalwart.md §6) computed from the event stream, the OTLP metrics push and the
 * Prometheus text. Nothing here imports OpenTelemetry statically: the pusher loads it on demand.
 */
export type { CounterValue, GaugeValue, HistogramValue, Metrics, MetricsSnapshot, SnapshotView } from './types.js';
export { createMetrics } from './store.js';
export { BOUNDS, HISTOGRAM_FEEDS, CONNECTION_GAUGES, QUEUE_UP, QUEUE_DOWN, SUPPLIED_GAUGES } from './defs.js';
export type { MetricsConfig } from './config.js';
export type { OtlpPusher, OtlpStatus, PushRecord, PushState, PusherHooks } from './otlp-pusher.js';
export { createOtlpPusher, disabledOtlpStatus, EXPORTER_ERROR_EVENT } from './otlp-pusher.js';
export { renderPrometheus, prometheusName, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
