import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { importCjs } from '../../import-cjs.js';
import { grpcEndpoint, signalUrl } from '../../otlp/endpoint.js';
import type { OtlpSettings } from '../../otlp/settings.js';

/** The part of an OTLP exporter the sink uses. */
export interface Exporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

export interface Exporters {
  logs?: Exporter<ReadableLogRecord>;
  spans?: Exporter<ReadableSpan>;
  /** Where each part goes, for messages. */
  logsUrl: string;
  spansUrl: string;
}

/**
 * Builds the enabled exporters. OpenTelemetry packages load here, on first use, never at
 * start-up. Throws when the endpoint does not parse or an exporter refuses its options.
 */
export async function loadExporters(s: OtlpSettings, logs: boolean, spans: boolean): Promise<Exporters> {
  const timeoutMillis = s.timeoutMs;
  if (s.transport === 'grpc') {
    // Headers are only sent over http, as in Stalwart.
    const url = grpcEndpoint(s);
    new URL(url.includes('://') ? url : `https://${url}`);
    const [l, t] = await Promise.all([
      logs ? importCjs(import('@opentelemetry/exporter-logs-otlp-grpc')) : undefined,
      spans ? importCjs(import('@opentelemetry/exporter-trace-otlp-grpc')) : undefined,
    ]);
    return {
      logs: l ? new l.OTLPLogExporter({ url, timeoutMillis }) : undefined,
      spans: t ? new t.OTLPTraceExporter({ url, timeoutMillis }) : undefined,
      logsUrl: url,
      spansUrl: url,
    };
  }
  const logsUrl = signalUrl(s.endpoint, 'logs');
  const spansUrl = signalUrl(s.endpoint, 'traces');
  const headers = { ...s.headers };
  const json = s.protocol === 'json';
  const [l, t] = await Promise.all([
    logs ? (json ? importCjs(import('@opentelemetry/exporter-logs-otlp-http')) : importCjs(import('@opentelemetry/exporter-logs-otlp-proto'))) : undefined,
    spans ? (json ? importCjs(import('@opentelemetry/exporter-trace-otlp-http')) : importCjs(import('@opentelemetry/exporter-trace-otlp-proto'))) : undefined,
  ]);
  return {
    logs: l ? new l.OTLPLogExporter({ url: logsUrl, headers, timeoutMillis }) : undefined,
    spans: t ? new t.OTLPTraceExporter({ url: spansUrl, headers, timeoutMillis }) : undefined,
    logsUrl,
    spansUrl,
  };
}
