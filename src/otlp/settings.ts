import { readHeaders, readUrl } from '../config/http-values.js';
import type { Path, Reader } from '../config/reader.js';

/** How one OTLP exporter (the open-telemetry tracer or the metrics push) reaches its collector. */
export interface OtlpSettings {
  transport: 'grpc' | 'http';
  /** For http: `protobuf` (default) or `json` (mailtel key `protocol`). */
  protocol: 'protobuf' | 'json';
  /** Unset: the transport's default (see endpoint.ts). */
  endpoint?: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export const OTLP_TIMEOUT_MS = 10_000;

/**
 * endpoint, headers, timeout and mailtel's `protocol` for an OTLP exporter (tracer or metrics).
 * Headers and protocol only apply to http (Stalwart's rule): with grpc they are ignored with a
 * warning. Returns undefined `endpoint` when absent; the caller decides whether that is fatal.
 */
export function readOtlpSettings(r: Reader, base: Path, transport: 'grpc' | 'http'): OtlpSettings {
  const endpoint = readUrl(r, [...base, 'endpoint']);
  const headers = readHeaders(r, [...base, 'headers']) ?? {};
  const timeoutMs = r.duration([...base, 'timeout'], OTLP_TIMEOUT_MS, { positive: true });
  const protocol = r.choice([...base, 'protocol'], ['protobuf', 'json'] as const) ?? 'protobuf';
  if (transport === 'grpc') {
    for (const k of ['headers', 'protocol']) {
      const e = r.get([...base, k]);
      if (e) r.warn(e, `only used with the http transport; ignored for grpc`);
    }
    return { transport, protocol: 'protobuf', endpoint, headers: {}, timeoutMs };
  }
  return { transport, protocol, endpoint, headers, timeoutMs };
}
