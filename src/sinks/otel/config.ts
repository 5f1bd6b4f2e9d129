import { readTracerCommon, type ReadContext, type TracerConfig } from '../../config/sinks.js';
import { anchorKey, type Reader } from '../../config/reader.js';
import { readOtlpSettings, type OtlpSettings } from '../../otlp/settings.js';

/** `tracer.<id>` with `type = "open-telemetry"` (or `otel`) (docs/stalwart.md §1d). */
export interface OtelTracerConfig extends TracerConfig, OtlpSettings {
  type: 'otel';
  throttleMs: number;
  logExporter: boolean;
  spanExporter: boolean;
}

export const OTEL_DEFAULTS = { throttleMs: 1000, logExporter: true, spanExporter: true } as const;

export function readOtelTracer(r: Reader, ctx: ReadContext): OtelTracerConfig | undefined {
  const base = ctx.base;
  const common = readTracerCommon(r, ctx, 'otel');
  const tEntry = r.get([...base, 'transport']);
  const transport = typeof tEntry?.value === 'string' ? tEntry.value.trim().toLowerCase() : undefined;
  if (!tEntry) return ctx.skip('open-telemetry tracers need a transport (grpc or http)', anchorKey(ctx.anchor, [...base, 'transport']));
  if (transport !== 'grpc' && transport !== 'http') {
    const shown = typeof tEntry.value === 'string' ? JSON.stringify(tEntry.value) : String(tEntry.value);
    return ctx.skip(`unsupported transport ${shown} (expected grpc or http)`, tEntry);
  }
  const otlp = readOtlpSettings(r, base, transport);
  const cfg: OtelTracerConfig = {
    ...common,
    ...otlp,
    type: 'otel',
    throttleMs: r.duration([...base, 'throttle'], OTEL_DEFAULTS.throttleMs, { positive: true }),
    logExporter: r.bool([...base, 'enable', 'log-exporter'], OTEL_DEFAULTS.logExporter),
    spanExporter: r.bool([...base, 'enable', 'span-exporter'], OTEL_DEFAULTS.spanExporter),
  };
  if (transport === 'http' && !otlp.endpoint && !r.has([...base, 'endpoint'])) {
    return ctx.skip('the http transport needs an endpoint', anchorKey(tEntry, [...base, 'endpoint']));
  }
  if (!cfg.logExporter && !cfg.spanExporter) r.warn(ctx.anchor, 'enable.log-exporter and enable.span-exporter are both false: nothing will be exported');
  return cfg;
}
