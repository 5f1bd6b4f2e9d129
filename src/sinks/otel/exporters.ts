import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OtelHttpSettings } from '../../config/types.js';
import { importCjs } from '../../import-cjs.js';

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

const GRPC_DEFAULT = 'http://localhost:4317';
const HTTP_DEFAULT = 'http://localhost:4318';

/** `grpc`, `http/protobuf` or `http/json`: which official exporter package serves the tracer. */
export function transportName(s: OtelHttpSettings): string {
  return s.transport === 'grpc' ? 'grpc' : `http/${s.protocol}`;
}

/**
 * The URL one signal is posted to over HTTP. The configured endpoint is a base URL: with no
 * path (or `/`) `/v1/<signal>` is appended; a path ending in `/v1/logs|traces|metrics` has that
 * last part swapped for the signal's; any other path is a prefix and gets `/v1/<signal>` too
 * (the OTEL_EXPORTER_OTLP_ENDPOINT rule). Throws on a URL that does not parse.
 */
export function signalUrl(endpoint: string | undefined, signal: 'logs' | 'traces'): string {
  const url = new URL(endpoint ?? HTTP_DEFAULT);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/v1\/(logs|traces|metrics)$/.test(path)
    ? path.replace(/(logs|traces|metrics)$/, signal)
    : `${path}/v1/${signal}`;
  return url.toString();
}

/** A URL for display: the password, if any, masked. */
export function maskUrl(u: string): string {
  try {
    const url = new URL(u);
    if (!url.password) return u;
    url.password = '***';
    return url.toString();
  } catch {
    return u;
  }
}

/**
 * Builds the enabled exporters. OpenTelemetry packages load here, on first use, never at
 * start-up. Throws when the endpoint does not parse or an exporter refuses its options.
 */
export async function loadExporters(s: OtelHttpSettings, logs: boolean, spans: boolean): Promise<Exporters> {
  const timeoutMillis = s.timeoutMs;
  if (s.transport === 'grpc') {
    // Headers are only sent over http, as in Stalwart.
    const url = s.endpoint ?? GRPC_DEFAULT;
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

// Retryable: what the OTLP specification lists (HTTP 429/502/503/504; gRPC CANCELLED,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS) plus any
// other 5xx and gRPC UNKNOWN/INTERNAL: trouble on the collector's side that may clear. A 4xx or
// INVALID_ARGUMENT/UNAUTHENTICATED/UNIMPLEMENTED... means the request itself is refused.
const GRPC_RETRYABLE = new Set([1, 2, 4, 8, 10, 11, 13, 14, 15]);
const httpRetryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export interface ExportFailure {
  message: string;
  retry: boolean;
}

/** Reads an exporter error: a collector that is down, slow or failing is retryable; one that refuses the request is not. */
export function describeFailure(err: unknown): ExportFailure {
  if (!(err instanceof Error)) return { message: String(err ?? 'export failed'), retry: true };
  const e = err as Error & { code?: unknown; data?: unknown; details?: unknown; metadata?: unknown };
  if (typeof e.code === 'number' && e.metadata !== undefined) {
    return { message: e.message, retry: GRPC_RETRYABLE.has(e.code) };
  }
  if (e.name === 'OTLPExporterError' && typeof e.code === 'number') {
    const body = typeof e.data === 'string' && e.data.trim() ? `: ${e.data.trim().slice(0, 200)}` : '';
    return { message: `HTTP ${e.code} ${e.message}${body}`.trim(), retry: httpRetryable(e.code) };
  }
  if (e.message === 'Export failed with retryable status') {
    return { message: 'collector answered with a retryable status (HTTP 429/502/503/504) until the timeout', retry: true };
  }
  return { message: e.message || e.name, retry: true };
}
