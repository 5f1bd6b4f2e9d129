/**
 * Fixtures for the OpenTelemetry tracer tests: a tracer config and a known event sequence (one
 * SMTP span with a large u64 span id, an event outside any span, an event of a span whose start
 * was never seen), plus small readers for decoded OTLP bodies.
 */
import type { OtelTracerConfig } from '../../src/sinks/otel/config.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';
import { eventInfo } from '../../src/catalogue/index.js';

export const VERSION = '0.15.5';
/** 2025-06-15T15:06:40.123Z: a time with milliseconds, to show the truncation to seconds. */
export const T0 = 1_750_000_000_123;
/** > 2^63, so it only survives as a BigInt: 0xab54a98ceb1f0ad2. */
export const SPAN = '12345678901234567890';
export const SPAN_HEX = 'ab54a98ceb1f0ad2';

export function otelConfig(over: Partial<OtelTracerConfig>): OtelTracerConfig {
  return {
    id: 'otel',
    type: 'otel',
    enable: true,
    level: 'trace',
    lossy: false,
    events: { policy: 'exclude', patterns: [] },
    queueSize: 1000,
    place: { file: 'test.toml', line: 1, col: 1, key: 'tracer.otel.type' },
    transport: 'http',
    protocol: 'protobuf',
    headers: {},
    timeoutMs: 2000,
    throttleMs: 0,
    logExporter: true,
    spanExporter: true,
    ...over,
  };
}

let seq = 0;
/** One stamped event; `span` and `spanStartedAt` as the collector attaches them to a span's later events. */
export function ev(type: string, at: number, data: EventData, spanId?: string, span?: EventData, spanStartedAt?: number): TelemetryEvent {
  const info = eventInfo(type);
  if (!info) throw new Error(`not in the catalogue: ${type}`);
  const e: TelemetryEvent = { seq: ++seq, type, level: info.level, createdAt: at, data, spanId, span, text: info.description };
  if (span !== undefined) e.spanStartedAt = spanStartedAt ?? at;
  return e;
}

export const START_KEYS: EventData = { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 };

/** Six events: auth.success (no span), the SMTP span (start, ehlo, mail-from, end) and a rcpt-to of a span the collector never saw. */
export function knownSequence(): TelemetryEvent[] {
  return [
    ev('auth.success', T0, { accountName: 'alice', accountId: 7 }),
    ev('smtp.connection-start', T0 + 1000, START_KEYS, SPAN),
    ev('smtp.ehlo', T0 + 1500, { domain: 'client.example.org' }, SPAN, START_KEYS, T0 + 1000),
    ev('smtp.mail-from', T0 + 2200, {
      from: 'a@example.org',
      size: 1024.5,
      tls: true,
      to: ['b@example.net', 'c@example.com'],
      details: { type: 'store.not-found', data: { key: 'k1', elapsed: 3 } },
      reason: null,
    }, SPAN, START_KEYS, T0 + 1000),
    ev('smtp.rcpt-to', T0 + 2500, { to: 'x@example.net' }, '99'),
    ev('smtp.connection-end', T0 + 3900, { elapsed: 2900 }, SPAN, START_KEYS, T0 + 1000),
  ];
}

export const sec = (ms: number): number => Math.floor(ms / 1000) * 1e9;

type KV = { key: string; value: Record<string, unknown> };

/** Attributes as `{key: decoded value}`, in order: strings, numbers, booleans, arrays unwrapped. */
export function attrs(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of (list ?? []) as KV[]) out[kv.key] = anyValue(kv.value);
  return out;
}

export function anyValue(v: Record<string, unknown>): unknown {
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(anyValue);
  return Object.values(v)[0];
}

/** The value's OTLP kind (`intValue`, `doubleValue`...) of one attribute. */
export function attrKind(list: unknown, key: string): string | undefined {
  const kv = ((list ?? []) as KV[]).find((a) => a.key === key);
  return kv && Object.keys(kv.value)[0];
}
