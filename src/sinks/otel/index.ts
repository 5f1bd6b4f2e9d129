import { formatDuration } from '../../config/duration.js';
import { showHeaders } from '../../config/mask.js';
import { displayEndpoint } from '../../otlp/endpoint.js';
import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readOtelTracer, type OtelTracerConfig } from './config.js';

/** The OpenTelemetry tracer (§1d): logs and spans over OTLP, throttled. OpenTelemetry loads on build. */
export const otelKind: SinkKind<OtelTracerConfig> = {
  name: 'otel',
  section: 'tracer',
  aliases: ['open-telemetry', 'otel'],
  label: 'open-telemetry tracer',
  read: readOtelTracer,
  build: async (cfg, deps) => (await import('./sink.js')).createOtelTracerSink(cfg, deps.serviceVersion),
  describe: (t) => {
    const exporters = [t.logExporter ? 'logs' : '', t.spanExporter ? 'spans' : ''].filter(Boolean).join('+') || 'nothing';
    const extra = [`exports ${exporters}`, `throttle ${formatDuration(t.throttleMs)}`, `timeout ${formatDuration(t.timeoutMs)}`];
    if (t.transport === 'http') extra.push(t.protocol);
    if (Object.keys(t.headers).length) extra.push(`headers ${showHeaders(t.headers)}`);
    return { target: `${t.transport} ${displayEndpoint(t)}`, extra };
  },
  policy: (cfg) => tracerPolicy(cfg, { throttleMs: cfg.throttleMs }),
};
