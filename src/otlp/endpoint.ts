import { maskUrl } from '../config/mask.js';
import type { OtlpSettings } from './settings.js';

/** Where the official exporters send when no endpoint is configured. */
export const GRPC_DEFAULT_ENDPOINT = 'http://localhost:4317';
export const HTTP_DEFAULT_ENDPOINT = 'http://localhost:4318';

/** `grpc`, `http/protobuf` or `http/json`: which official exporter package serves the settings. */
export function transportLabel(s: OtlpSettings): string {
  return s.transport === 'grpc' ? 'grpc' : `http/${s.protocol}`;
}

/** The gRPC endpoint the exporter dials: the configured one, else the default. */
export function grpcEndpoint(s: Pick<OtlpSettings, 'endpoint'>): string {
  return s.endpoint ?? GRPC_DEFAULT_ENDPOINT;
}

/** The configured endpoint for display (credentials masked), or what the exporter falls back to. */
export function displayEndpoint(s: Pick<OtlpSettings, 'transport' | 'endpoint'>): string {
  if (s.endpoint) return maskUrl(s.endpoint);
  return `${s.transport === 'grpc' ? GRPC_DEFAULT_ENDPOINT : HTTP_DEFAULT_ENDPOINT} (default)`;
}

/**
 * The URL one signal is posted to over HTTP. The configured endpoint is a base URL: with no
 * path (or `/`) `/v1/<signal>` is appended; a path ending in `/v1/logs|traces|metrics` has that
 * last part swapped for the signal's; any other path is a prefix and gets `/v1/<signal>` too
 * (the OTEL_EXPORTER_OTLP_ENDPOINT rule). Throws on a URL that does not parse.
 */
export function signalUrl(endpoint: string | undefined, signal: 'logs' | 'traces'): string {
  const url = new URL(endpoint ?? HTTP_DEFAULT_ENDPOINT);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/v1\/(logs|traces|metrics)$/.test(path)
    ? path.replace(/(logs|traces|metrics)$/, signal)
    : `${path}/v1/${signal}`;
  return url.toString();
}
