/**
 * One-line hints for the OTLP mistakes users make most. Pure: used by the pusher after a failed
 * push and by `mailtel check` before any push (without an error).
 *
 * The error texts matched here are the ones the official Node exporters (0.223) and grpc-js
 * really produce; test/otlp-diagnose.test.ts reproduces each against a real receiver.
 */

import { asError, grpcStatus, httpStatus } from './errors.js';
import { GRPC_DEFAULT_ENDPOINT } from './endpoint.js';

export interface OtlpTarget {
  transport: 'grpc' | 'http';
  protocol?: 'protobuf' | 'json';
  /** Unset for grpc means the exporter default, http://localhost:4317. */
  endpoint?: string;
}

function parse(endpoint: string): URL | undefined {
  try {
    return new URL(endpoint);
  } catch {
    return undefined;
  }
}

/** Mistakes visible in the settings alone (no push needed). */
export function checkOtlpTarget(t: OtlpTarget): string | undefined {
  const endpoint = t.endpoint ?? (t.transport === 'grpc' ? GRPC_DEFAULT_ENDPOINT : undefined);
  if (!endpoint) return 'the http transport needs an endpoint, e.g. http://collector:4318/v1/metrics';
  const u = parse(endpoint);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return `endpoint "${endpoint}" is not an http:// or https:// URL`;
  if (t.transport === 'http' && u.port === '4317') return 'port 4317 is the OTLP/gRPC port: use transport = "grpc", or the OTLP/HTTP port 4318';
  if (t.transport === 'grpc' && u.port === '4318') return 'port 4318 is the OTLP/HTTP port: use transport = "http" (with /v1/metrics), or the gRPC port 4317';
  if (t.transport === 'http' && !u.pathname.replace(/\/+$/, '').endsWith('/v1/metrics')) {
    return `the OTLP/HTTP endpoint must include the path /v1/metrics: ${u.origin}${u.pathname.replace(/\/+$/, '')}/v1/metrics`;
  }
  return undefined;
}

/** A hint for a failed push, or for the settings alone when `error` is undefined. */
export function diagnoseOtlp(t: OtlpTarget, error?: unknown): string | undefined {
  const e = asError(error);
  const staticHint = checkOtlpTarget(t);
  if (!e) return staticHint;
  const msg = e.message;
  const endpoint = t.endpoint ?? (t.transport === 'grpc' ? GRPC_DEFAULT_ENDPOINT : '');
  const tls = parse(endpoint)?.protocol === 'https:';
  const status = httpStatus(e);
  const grpc = grpcStatus(e);

  // Wrong protocol on the port: an HTTP/1.1 client meeting an HTTP/2 gRPC server, and the reverse.
  if (e.code === 'HPE_INVALID_CONSTANT' || /Parse Error: Expected HTTP\//.test(msg)) {
    return 'the endpoint answers with gRPC (HTTP/2), not OTLP/HTTP: use transport = "grpc", or the OTLP/HTTP port (4318) with /v1/metrics';
  }
  if (t.transport === 'grpc' && /Protocol error/.test(msg)) {
    return 'the endpoint is not a gRPC server (likely OTLP/HTTP on 4318): use transport = "http" with /v1/metrics, or the gRPC port 4317';
  }
  // TLS against a plain-text collector, and plain text against a TLS one.
  if (tls && /wrong version number|EPROTO|packet length too long|http request/i.test(msg + String(e.code ?? ''))) {
    return 'the collector speaks plain text, not TLS: use http:// instead of https://';
  }
  if (/self[- ]signed certificate|unable to verify|UNABLE_TO_VERIFY|CERT_HAS_EXPIRED|certificate has expired|altnames|ERR_TLS_CERT/i.test(msg + String(e.code ?? ''))) {
    return "the collector's TLS certificate is not trusted: fix the certificate or add its CA with NODE_EXTRA_CA_CERTS";
  }
  if (!tls && (e.code === 'ECONNRESET' || /socket hang up/.test(msg) || (grpc === 'UNAVAILABLE' && /Failed to connect\b/.test(msg)))) {
    return 'the collector dropped the plain-text connection; if it expects TLS, use https://';
  }
  // Reached a server that is not the OTLP endpoint, or that rejects what we send.
  if (status === 404) {
    return staticHint ?? 'the collector has no OTLP handler at this path: the OTLP/HTTP metrics path is /v1/metrics';
  }
  if (status === 401 || status === 403 || grpc === 'UNAUTHENTICATED' || grpc === 'PERMISSION_DENIED') {
    return 'the collector refused the credentials: check the Authorization (or other) headers';
  }
  if (status === 415) {
    return `the collector does not accept OTLP/HTTP ${t.protocol ?? 'protobuf'}: set protocol = "${t.protocol === 'json' ? 'protobuf' : 'json'}"`;
  }
  if ((status !== undefined && status >= 400 && status < 500) || grpc === 'INVALID_ARGUMENT') {
    return 'the collector answered but rejected the payload: check its logs (limits, temporality, schema) and the endpoint path';
  }
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg)) {
    return staticHint ?? 'nothing listens at the endpoint: is the collector running, and is the host:port right?';
  }
  if (e.code === 'ENOTFOUND' || /ENOTFOUND|EAI_AGAIN/.test(msg)) return 'the endpoint host name does not resolve: check the endpoint';
  if (grpc === 'DEADLINE_EXCEEDED' || /timeout|timed out/i.test(msg)) {
    return staticHint ?? 'no answer within the timeout: check the endpoint, or raise metrics.open-telemetry.timeout';
  }
  return staticHint;
}
