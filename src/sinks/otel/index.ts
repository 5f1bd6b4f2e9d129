import { formatDuration } from '../../config/duration.js';
import { showHeaders } from '../../config/mask.js';
import { displayEndpoint, signalUrl } from '../../otlp/endpoint.js';
import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readOtelTracer, type OtelTracerConfig } from './config.js';

/** The deliberate difference `check` names: where logs and spans go, against Stalwart's one URL. */
function suffixNote(endpoint: string | undefined): string {
  try {
    const url = (signal: 'logs' | 'traces') => displayEndpoint({ transport: 'http', endpoint: signalUrl(endpoint, signal) });
    return `logs to ${url('logs')}, spans to ${url('traces')} (Stalwart posts both to the endpoint as written)`;
  } catch {
    return 'the endpoint is not a URL';
  }
}

/** The OpenTelemetry tracer (docs/stalwart.md §1d): logs and spans over OTLP, throttled. OpenTelemetry loads on build. */
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
    if (t.transport === 'http') extra.push(t.protocol, suffixNote(t.endpoint));
    if (Object.keys(t.headers).length) extra.push(`headers ${showHeaders(t.headers)}`);
    return { target: `${t.transport} ${displayEndpoint(t)}`, extra };
  },
  policy: (cfg) => tracerPolicy(cfg, { throttleMs: cfg.throttleMs }),
};
