import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedRequest } from './otlp-receiver.js';
import { waitFor } from './wait.js';

// The receiver itself, driven by the official exporters (logs and traces; metrics are covered
// by test/metrics/otlp-pusher.test.ts). Proves every transport decodes to the same shape.

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});

const resource = resourceFromAttributes({ 'service.name': 'stalwart', 'service.version': '9.9.9' });
const headers = { 'x-test': 'yes' };

function exporters(kind: 'logs' | 'traces'): [string, () => LogRecordExporter | SpanExporter][] {
  const http = () => `${rx.httpUrl}/v1/${kind}`;
  const grpcOpts = () => {
    const md = new Metadata();
    md.set('x-test', 'yes');
    return { url: rx.grpcUrl, metadata: md };
  };
  return kind === 'logs'
    ? [['grpc', () => new LogsGrpc(grpcOpts())], ['protobuf', () => new LogsProto({ url: http(), headers })], ['json', () => new LogsJson({ url: http(), headers })]]
    : [['grpc', () => new TraceGrpc(grpcOpts())], ['protobuf', () => new TraceProto({ url: http(), headers })], ['json', () => new TraceJson({ url: http(), headers })]];
}

function attr(list: unknown, key: string): unknown {
  const kv = (list as { key: string; value: Record<string, unknown> }[]).find((a) => a.key === key);
  return kv && Object.values(kv.value)[0];
}

describe('OTLP test receiver', () => {
  for (const [name, make] of exporters('traces')) {
    it(`decodes spans with events sent over ${name}`, async () => {
      rx.clear();
      const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(make() as SpanExporter)] });
      const span = provider.getTracer('stalwart').startSpan('smtp.connection-start', { attributes: { 'listener-id': 'smtp' } });
      span.addEvent('smtp.ehlo', { domain: 'example.org' });
      span.end();
      await provider.forceFlush();
      const req = await waitFor(() => rx.requests.find((r) => r.signal === 'traces'), 5000, 'a traces request');
      expect(req.transport).toBe(name === 'grpc' ? 'grpc' : 'http');
      expect(req.answered).toBe(name === 'grpc' ? 0 : 200);
      expect(req.headers['x-test']).toBe('yes');
      const rs = (req.body!.resourceSpans as any[])[0];
      expect(attr(rs.resource.attributes, 'service.name')).toBe('stalwart');
      const s = rs.scopeSpans[0].spans[0];
      expect(s.name).toBe('smtp.connection-start');
      expect(s.kind).toBe('SPAN_KIND_INTERNAL');
      expect(s.traceId).toBe(span.spanContext().traceId);
      expect(s.spanId).toBe(span.spanContext().spanId);
      expect(s.events[0].name).toBe('smtp.ehlo');
      expect(attr(s.events[0].attributes, 'domain')).toBe('example.org');
      expect(typeof s.startTimeUnixNano).toBe('number');
      await provider.shutdown();
    });
  }

  for (const [name, make] of exporters('logs')) {
    it(`decodes log records sent over ${name}`, async () => {
      rx.clear();
      const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: make() as LogRecordExporter })] });
      provider.getLogger('stalwart').emit({ eventName: 'smtp.ehlo', severityNumber: 9, severityText: 'INFO', body: 'EHLO received', attributes: { n: 3 } });
      await provider.forceFlush();
      const req: ReceivedRequest = await waitFor(() => rx.requests.find((r) => r.signal === 'logs'), 5000, 'a logs request');
      const lr = (req.body!.resourceLogs as any[])[0].scopeLogs[0].logRecords[0];
      expect(lr.severityNumber).toBe('SEVERITY_NUMBER_INFO');
      expect(lr.severityText).toBe('INFO');
      expect(lr.body).toEqual({ stringValue: 'EHLO received' });
      expect(lr.eventName).toBe('smtp.ehlo');
      expect(attr(lr.attributes, 'n')).toBe(3);
      await provider.shutdown();
    });
  }

  it('fails on demand, and comes back on the same port after stop/start', async () => {
    rx.clear();
    const port = rx.httpPort;
    rx.failWith('reject');
    const r1 = await fetch(`${rx.httpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r1.status).toBe(400);
    rx.failWith('none');
    await rx.stop();
    await expect(fetch(`${rx.httpUrl}/v1/logs`, { method: 'POST', body: '{}' })).rejects.toThrow();
    await rx.start();
    expect(rx.httpPort).toBe(port);
    const r2 = await fetch(`${rx.httpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r2.status).toBe(200);
    const r3 = await fetch(`${rx.httpUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r3.status).toBe(404);
    expect(rx.requests.map((r) => r.answered)).toEqual([400, 200, 404]);
  });
});
