import { readHeaders, readUrl } from './http-values.js';
import type { Path, Reader } from './reader.js';
import type { OtelHttpSettings } from './types.js';

export const OTLP_TIMEOUT_MS = 10_000;

/**
 * endpoint, headers, timeout and mailtel's `protocol` for an OTLP exporter (tracer or metrics).
 * Headers and protocol only apply to http (Stalwart's rule): with grpc they are ignored with a
 * warning. Returns undefined `endpoint` when absent; the caller decides whether that is fatal.
 */
export function readOtlpSettings(r: Reader, base: Path, transport: 'grpc' | 'http'): OtelHttpSettings {
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
