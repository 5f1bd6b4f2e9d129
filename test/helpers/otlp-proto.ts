/**
 * Decoding of OTLP Export*ServiceRequest messages with the official .proto files, loaded at test
 * time from the `otlp-protos` npm package (never copied into the repo).
 *
 * Decoded bodies are plain objects with lowerCamelCase field names (as OTLP/JSON), longs as
 * Number, enums as their String names, and every bytes field (trace/span ids) as lowercase hex.
 * Protobuf and JSON requests decode to the same shape.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
export const PROTO_DIR = path.join(path.dirname(require.resolve('otlp-protos/package.json')), 'build', 'protos');

export type Signal = 'metrics' | 'logs' | 'traces';

export const SERVICE_FILES: Record<Signal, string> = {
  metrics: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  logs: 'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  traces: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
};

const SERVICES: Record<Signal, { pkg: string; service: string; request: string; response: string }> = {
  metrics: { pkg: 'opentelemetry.proto.collector.metrics.v1', service: 'MetricsService', request: 'ExportMetricsServiceRequest', response: 'ExportMetricsServiceResponse' },
  logs: { pkg: 'opentelemetry.proto.collector.logs.v1', service: 'LogsService', request: 'ExportLogsServiceRequest', response: 'ExportLogsServiceResponse' },
  traces: { pkg: 'opentelemetry.proto.collector.trace.v1', service: 'TraceService', request: 'ExportTraceServiceRequest', response: 'ExportTraceServiceResponse' },
};

export function serviceName(signal: Signal): { pkg: string; service: string } {
  return SERVICES[signal];
}

let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  r.loadSync(Object.values(SERVICE_FILES));
  // The packaged protos predate LogRecord.event_name (field 12, OTLP 1.5); the exporters of this
  // version set write it, so declare it rather than silently dropping it.
  const logRecord = r.lookupType('opentelemetry.proto.logs.v1.LogRecord');
  if (!logRecord.fields.eventName) logRecord.add(new protobuf.Field('eventName', 12, 'string'));
  r.resolveAll();
  root = r;
  return r;
}

function requestType(signal: Signal): protobuf.Type {
  const s = SERVICES[signal];
  return loadRoot().lookupType(`${s.pkg}.${s.request}`);
}

/** An empty Export*ServiceResponse, encoded. */
export function encodeEmptyResponse(signal: Signal): Uint8Array {
  const s = SERVICES[signal];
  const t = loadRoot().lookupType(`${s.pkg}.${s.response}`);
  return t.encode(t.create({})).finish();
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, arrays: true, defaults: false, oneofs: false };

function bytesToHex(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return v.map(bytesToHex);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = bytesToHex(x);
    return out;
  }
  return v;
}

const HEX_ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON writes trace and span ids as hex (not base64 as proto3 JSON would). */
function hexIdsToBytes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(hexIdsToBytes);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = HEX_ID_KEYS.has(k) && typeof x === 'string' ? Buffer.from(x, 'hex') : hexIdsToBytes(x);
    }
    return out;
  }
  return v;
}

export function decodeProtobuf(signal: Signal, body: Uint8Array): Record<string, unknown> {
  const t = requestType(signal);
  return bytesToHex(t.toObject(t.decode(body), TO_OBJECT)) as Record<string, unknown>;
}

export function decodeJson(signal: Signal, json: unknown): Record<string, unknown> {
  const t = requestType(signal);
  const msg = t.fromObject(hexIdsToBytes(json) as Record<string, unknown>);
  return bytesToHex(t.toObject(msg, TO_OBJECT)) as Record<string, unknown>;
}
