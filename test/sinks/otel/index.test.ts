import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtelTracerConfig } from '../../../src/sinks/otel/config.js';
import { createOtelTracerSink } from '../../../src/sinks/otel/sink.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedRequest } from '../../helpers/otlp-receiver.js';
import { attrKind, attrs, knownSequence, otelConfig, sec, SPAN, SPAN_HEX, START_KEYS, T0, VERSION } from '../../helpers/otel-events.js';

// The tracer against a real OTLP receiver over each transport: a known event sequence must
// arrive as six log records and one span, with Stalwart's shapes (docs/stalwart.md §1d).

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});

const transports: [string, () => Partial<OtelTracerConfig>][] = [
  ['grpc', () => ({ transport: 'grpc', endpoint: rx.grpcUrl, headers: { 'x-api-key': 'k-123' } })],
  ['http/protobuf', () => ({ transport: 'http', protocol: 'protobuf', endpoint: rx.httpUrl, headers: { 'x-api-key': 'k-123' } })],
  ['http/json', () => ({ transport: 'http', protocol: 'json', endpoint: `${rx.httpUrl}/`, headers: { 'x-api-key': 'k-123' } })],
];

function one(signal: 'logs' | 'traces'): ReceivedRequest {
  const reqs = rx.requests.filter((r) => r.signal === signal);
  expect(reqs).toHaveLength(1);
  expect(reqs[0]!.decodeError).toBeUndefined();
  return reqs[0]!;
}

/** A decoded kvlistValue as `{key: value}`. */
function kvlist(v: unknown): Record<string, unknown> {
  return attrs((v as { values?: unknown }).values);
}

describe('open-telemetry tracer', () => {
  for (const [name, settings] of transports) {
    it(`exports log records and a span over ${name}`, async () => {
      rx.clear();
      const before = Date.now();
      const sink = await createOtelTracerSink(otelConfig(settings()), VERSION);
      expect(sink.type).toBe('otel');
      expect(sink.target).toBe(`${name} ${name === 'grpc' ? rx.grpcUrl : name === 'http/json' ? rx.httpUrl + '/' : rx.httpUrl}`);
      expect(await sink.start!()).toEqual({ ok: true });
      expect(await sink.write(knownSequence())).toEqual({ ok: true });
      expect(sink.details!()).toMatchObject({ logsExported: 6, spansExported: 1, openSpans: 0, pendingLogs: 0, pendingSpans: 0 });

      const logsReq = one('logs');
      const tracesReq = one('traces');
      expect(logsReq.path).toMatch(name === 'grpc' ? /LogsService\/Export$/ : /^\/v1\/logs$/);
      expect(tracesReq.path).toMatch(name === 'grpc' ? /TraceService\/Export$/ : /^\/v1\/traces$/);
      expect(logsReq.encoding).toBe(name === 'http/json' ? 'json' : 'protobuf');
      // Headers go over http only, as in Stalwart.
      for (const r of [logsReq, tracesReq]) expect(r.headers['x-api-key']).toBe(name === 'grpc' ? undefined : 'k-123');

      // Resource and scope.
      const rl = (logsReq.body!.resourceLogs as any[])[0];
      expect(attrs(rl.resource.attributes)).toMatchObject({ 'service.name': 'stalwart', 'service.version': VERSION });
      expect(rl.scopeLogs).toHaveLength(1);
      expect(rl.scopeLogs[0].scope).toMatchObject({ name: 'stalwart', version: VERSION });

      // Log records: one per event, in order.
      const lrs = rl.scopeLogs[0].logRecords as any[];
      expect(lrs.map((l) => l.eventName)).toEqual(['auth.success', 'smtp.connection-start', 'smtp.ehlo', 'smtp.mail-from', 'smtp.rcpt-to', 'smtp.connection-end']);
      expect(lrs.map((l) => l.severityText)).toEqual(['INFO', 'DEBUG', 'INFO', 'INFO', 'INFO', 'DEBUG']);
      expect(lrs.map((l) => l.severityNumber)).toEqual(['SEVERITY_NUMBER_INFO', 'SEVERITY_NUMBER_DEBUG', 'SEVERITY_NUMBER_INFO', 'SEVERITY_NUMBER_INFO', 'SEVERITY_NUMBER_INFO', 'SEVERITY_NUMBER_DEBUG']);
      expect(lrs[0].body).toEqual({ stringValue: 'Authentication successful' });
      expect(lrs[5].body).toEqual({ stringValue: 'SMTP connection ended' });
      // Event time truncated to whole seconds (Stalwart stamps seconds); observed time is now, in ms.
      expect(lrs.map((l) => l.timeUnixNano)).toEqual([sec(T0), sec(T0 + 1000), sec(T0 + 1500), sec(T0 + 2200), sec(T0 + 2500), sec(T0 + 3900)]);
      expect(lrs[0].timeUnixNano).toBe(1_750_000_000 * 1e9);
      expect(lrs[0].observedTimeUnixNano).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1e9);
      expect(lrs[0].observedTimeUnixNano).toBeLessThanOrEqual((Date.now() + 1) * 1e6);

      expect(attrs(lrs[0].attributes)).toEqual({ accountName: 'alice', accountId: 7 });
      // docs/stalwart.md §0: own keys only, in order, spanId an integer (Stalwart's u64 as i64), no trace context.
      const wrapped = Number(BigInt.asIntN(64, BigInt(SPAN)));
      for (const l of lrs) expect([l.traceId ?? '', l.spanId ?? '']).toEqual(['', '']);
      expect(Object.keys(attrs(lrs[2].attributes))).toEqual(['spanId', 'domain']);
      expect(attrKind(lrs[2].attributes, 'spanId')).toBe('intValue');
      expect(Number(attrs(lrs[2].attributes).spanId)).toBe(wrapped);
      expect(Object.keys(attrs(lrs[1].attributes))).toEqual([...Object.keys(START_KEYS), 'spanId']);
      expect(Object.keys(attrs(lrs[4].attributes))).toEqual(['spanId', 'to']);
      const mf = lrs[3].attributes;
      const { details, spanId: _id, ...plain } = attrs(mf);
      expect(plain).toEqual({ from: 'a@example.org', size: 1024.5, tls: true, to: ['b@example.net', 'c@example.com'], reason: false });
      expect(Object.keys(attrs(mf))).toEqual(['spanId', 'from', 'size', 'tls', 'to', 'details', 'reason']);
      expect(kvlist(details)).toEqual({ eventName: 'store.not-found', key: 'k1', elapsed: 3 });
      expect([attrKind(mf, 'size'), attrKind(mf, 'tls'), attrKind(mf, 'to'), attrKind(mf, 'details'), attrKind(lrs[1].attributes, 'localPort')]).toEqual([
        'doubleValue', 'boolValue', 'arrayValue', 'kvlistValue', 'intValue',
      ]);

      // The span: start to end, Server kind, ids from the span id, start keys as attributes.
      const rs = (tracesReq.body!.resourceSpans as any[])[0];
      expect(attrs(rs.resource.attributes)).toMatchObject({ 'service.name': 'stalwart', 'service.version': VERSION });
      expect(rs.scopeSpans[0].scope).toMatchObject({ name: 'stalwart', version: VERSION });
      const spans = rs.scopeSpans[0].spans as any[];
      expect(spans).toHaveLength(1);
      const s = spans[0];
      expect(s.name).toBe('smtp.connection-start');
      expect(s.kind).toBe('SPAN_KIND_SERVER');
      expect(s.traceId).toBe('0000000000000000' + SPAN_HEX);
      expect(s.spanId).toBe(SPAN_HEX);
      expect(s.parentSpanId ?? '').toBe('');
      expect(s.startTimeUnixNano).toBe(sec(T0 + 1000));
      expect(s.endTimeUnixNano).toBe(sec(T0 + 3900));
      expect(attrs(s.attributes)).toEqual(START_KEYS);
      // docs/stalwart.md §0: the events between start and end, then the end; the start is not a span event.
      expect(s.events.map((e: any) => e.name)).toEqual(['smtp.ehlo', 'smtp.mail-from', 'smtp.connection-end']);
      expect(s.events.map((e: any) => e.timeUnixNano)).toEqual([sec(T0 + 1500), sec(T0 + 2200), sec(T0 + 3900)]);
      expect(attrs(s.events[0].attributes)).toEqual({ domain: 'client.example.org' });
      expect(attrs(s.events[1].attributes)).toEqual({ from: 'a@example.org', size: 1024.5, tls: true, to: '[array]', details: '[event data]', reason: false });
      expect(attrs(s.events[2].attributes)).toEqual({ elapsed: 2900 });
      expect(s.droppedEventsCount ?? 0).toBe(0);

      await sink.close!();
    });
  }

  it('sends nothing for an empty batch and holds an open span across writes', async () => {
    rx.clear();
    const sink = await createOtelTracerSink(otelConfig({ endpoint: rx.httpUrl }), VERSION);
    const events = knownSequence();
    expect(await sink.write([])).toEqual({ ok: true });
    expect(rx.requests).toHaveLength(0);
    expect(await sink.write(events.slice(0, 4))).toEqual({ ok: true });
    expect(sink.details!()).toMatchObject({ logsExported: 4, spansExported: 0, openSpans: 1 });
    expect(rx.requests.map((r) => r.signal)).toEqual(['logs']);
    expect(await sink.write(events.slice(4))).toEqual({ ok: true });
    expect(sink.details!()).toMatchObject({ logsExported: 6, spansExported: 1, openSpans: 0 });
    const span = (rx.bodies('traces')[0]!.resourceSpans as any[])[0].scopeSpans[0].spans[0];
    expect(span.events).toHaveLength(3);
    await sink.close!();
  });
});
