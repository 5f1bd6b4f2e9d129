/**
 * The SDK side of the OTLP push, loaded lazily (dynamic import) by otlp-pusher.ts so that
 * OpenTelemetry and gRPC cost nothing at start-up when the push is disabled.
 *
 * transport `grpc`                    → @opentelemetry/exporter-metrics-otlp-grpc
 * transport `http`, protocol protobuf → @opentelemetry/exporter-metrics-otlp-proto (default)
 * transport `http`, protocol json     → @opentelemetry/exporter-metrics-otlp-http
 */
import { MeterProvider, MetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { grpcEndpoint } from '../otlp/endpoint.js';
import { exportWithTimeout } from '../otlp/export.js';
import type { OtlpSettings } from '../otlp/settings.js';
import { metricResource, SnapshotProducer } from './otlp-data.js';
import type { Metrics } from './types.js';
import { importCjs } from '../import-cjs.js';

/** A reader that only collects when asked: the pusher owns the schedule. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface ExportOutcome {
  ok: boolean;
  dataPoints: number;
  error?: unknown;
}

export interface MetricsExport {
  /** Collects the current snapshot and sends it once. Never rejects. */
  pushOnce(): Promise<ExportOutcome>;
  shutdown(): Promise<void>;
}

async function createExporter(s: OtlpSettings): Promise<PushMetricExporter> {
  const timeoutMillis = s.timeoutMs;
  if (s.transport === 'grpc') {
    const [{ OTLPMetricExporter }, { Metadata }] = await Promise.all([
      importCjs(import('@opentelemetry/exporter-metrics-otlp-grpc')),
      importCjs(import('@grpc/grpc-js')),
    ]);
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(s.headers)) metadata.set(k.toLowerCase(), v);
    return new OTLPMetricExporter({ url: grpcEndpoint(s), metadata, timeoutMillis });
  }
  const opts = { url: s.endpoint, headers: { ...s.headers }, timeoutMillis };
  if (s.protocol === 'json') return new (await importCjs(import('@opentelemetry/exporter-metrics-otlp-http'))).OTLPMetricExporter(opts);
  return new (await importCjs(import('@opentelemetry/exporter-metrics-otlp-proto'))).OTLPMetricExporter(opts);
}

function countPoints(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

export async function createMetricsExport(s: OtlpSettings, metrics: Metrics, serviceVersion: string): Promise<MetricsExport> {
  const exporter = await createExporter(s);
  const reader = new OnDemandReader({ metricProducers: [new SnapshotProducer(metrics, serviceVersion)] });
  const provider = new MeterProvider({ resource: metricResource(serviceVersion), readers: [reader] });

  return {
    async pushOnce() {
      let dataPoints = 0;
      try {
        const { resourceMetrics } = await reader.collect();
        dataPoints = countPoints(resourceMetrics);
        const result = await exportWithTimeout(exporter, resourceMetrics, s.timeoutMs);
        return result.code === 0 ? { ok: true, dataPoints } : { ok: false, dataPoints, error: result.error ?? new Error('export failed') };
      } catch (error) {
        return { ok: false, dataPoints, error };
      }
    },
    async shutdown() {
      await Promise.allSettled([provider.shutdown(), exporter.shutdown()]);
    },
  };
}
