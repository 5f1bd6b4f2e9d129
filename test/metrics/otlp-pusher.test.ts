import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import { BOUNDS, type MetricsConfig, createMetrics, createOtlpPusher, type Metrics, type OtlpPusher } from '../../src/metrics/index.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedRequest } from '../helpers/otlp-receiver.js';
import { waitFor } from '../helpers/wait.js';

let seq = 0;
function ev(type: string, data: EventData = {}): TelemetryEvent {
  return { seq: ++seq, type, level: eventInfo(type)?.level ?? 'info', createdAt: Date.now(), data, text: '' };
}

function cfg(o: Partial<{ transport: 'grpc' | 'http'; protocol: 'protobuf' | 'json'; endpoint: string; headers: Record<string, string>; timeoutMs: number; intervalMs: number }>): MetricsConfig {
  return {
    otel: { transport: o.transport ?? 'http', protocol: o.protocol ?? 'protobuf', endpoint: o.endpoint, headers: o.headers ?? {}, timeoutMs: o.timeoutMs ?? 5000, intervalMs: o.intervalMs ?? 3_600_000 },
    prometheus: { enable: false },
    disabledEvents: [],
  };
}

/** The known sequence: 3 SMTP connections (2 closed), 1 queued message, 1 delivery. */
function feed(m: Metrics): void {
  for (let i = 0; i < 3; i++) m.observe(ev('smtp.connection-start', { listenerId: 'smtp' }));
  m.observe(ev('smtp.connection-end', { elapsed: 100 }));
  m.observe(ev('smtp.connection-end', { elapsed: 251 }));
  m.observe(ev('queue.queue-message', { size: 2000 }));
  m.observe(ev('delivery.completed', { elapsed: 45_000 }));
}

type Json = Record<string, any>;
const attr = (list: Json[], key: string) => list.find((a) => a.key === key)?.value.stringValue;

let rx: OtlpReceiver;
const pushers: OtlpPusher[] = [];
const raised: { type: string; data: Record<string, string | number> }[] = [];
const hooks = { raise: (type: string, data: Record<string, string | number>) => void raised.push({ type, data }), serviceVersion: '0.1.0-test' };
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);

async function pusher(c: MetricsConfig, m: Metrics): Promise<OtlpPusher> {
  const p = (await createOtlpPusher(c, m, hooks))!;
  pushers.push(p);
  await p.start();
  return p;
}

beforeAll(async () => {
  rx = await startOtlpReceiver();
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await Promise.all(pushers.splice(0).map((p) => p.stop()));
  rx.clear();
  rx.failWith('none');
  raised.length = 0;
});
afterAll(async () => {
  await rx.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('OTLP metrics push', () => {
  const variants: [string, () => MetricsConfig, ReceivedRequest['transport']][] = [
    ['grpc', () => cfg({ transport: 'grpc', endpoint: rx.grpcUrl, headers: { 'x-tenant': 'acme' } }), 'grpc'],
    ['http/protobuf', () => cfg({ transport: 'http', protocol: 'protobuf', endpoint: `${rx.httpUrl}/v1/metrics`, headers: { 'X-Tenant': 'acme' } }), 'http'],
    ['http/json', () => cfg({ transport: 'http', protocol: 'json', endpoint: `${rx.httpUrl}/v1/metrics`, headers: { 'X-Tenant': 'acme' } }), 'http'],
  ];
  for (const [label, make, transport] of variants) {
    it(`sends Stalwart's metric set over ${label}`, async () => {
      const m = createMetrics({ disabledEvents: [] });
      feed(m);
      const p = await pusher(make(), m);
      await p.pushNow();
      const req = await waitFor(() => rx.requests.find((r) => r.signal === 'metrics'), 2000, 'a metrics request');
      expect(req.transport).toBe(transport);
      expect(req.encoding).toBe(label === 'http/json' ? 'json' : 'protobuf');
      expect(req.headers['x-tenant']).toBe('acme');
      const rm = (req.body!.resourceMetrics as Json[])[0]!;
      expect(attr(rm.resource.attributes, 'service.name')).toBe('stalwart');
      expect(attr(rm.resource.attributes, 'service.version')).toBe('0.1.0-test');
      // docs/stalwart.md §0: one scope, `stalwart`, with version = the service version.
      expect((rm.scopeMetrics as Json[]).map((s) => [s.scope.name, s.scope.version])).toEqual([['stalwart', '0.1.0-test']]);
      const sm = (rm.scopeMetrics as Json[])[0]!;
      const byName = new Map<string, Json>((sm.metrics as Json[]).map((x) => [x.name, x]));
      expect([...byName.keys()].sort()).toEqual([
        'delivery.active-connections', 'delivery.completed', 'delivery.total-time', 'http.active-connections', 'imap.active-connections',
        'message.size', 'pop3.active-connections', 'queue.count', 'queue.queue-message', 'sieve.active-connections', 'smtp.active-connections',
        'smtp.connection-start', 'smtp.request-time',
      ]);

      const counter = byName.get('smtp.connection-start')!;
      expect(counter.unit).toBe('events');
      expect(counter.description).toBe('SMTP connection started');
      expect(counter.sum.isMonotonic).toBe(true);
      expect(counter.sum.aggregationTemporality).toBe('AGGREGATION_TEMPORALITY_CUMULATIVE');
      expect(counter.sum.dataPoints).toHaveLength(1);
      expect(counter.sum.dataPoints[0].asInt).toBe(3);
      expect(counter.sum.dataPoints[0].attributes).toEqual([]);

      const gauge = byName.get('smtp.active-connections')!;
      expect(gauge.unit).toBe('connections');
      expect(gauge.gauge.dataPoints[0].asInt).toBe(1);
      expect(byName.get('queue.count')!.gauge.dataPoints[0].asInt).toBe(0);

      const h = byName.get('smtp.request-time')!;
      expect(h.unit).toBe('milliseconds');
      expect(h.histogram.aggregationTemporality).toBe('AGGREGATION_TEMPORALITY_CUMULATIVE');
      const dp = h.histogram.dataPoints[0];
      expect(dp.explicitBounds).toEqual([...BOUNDS.medium]);
      expect(dp.bucketCounts).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect([dp.count, dp.sum, dp.min, dp.max]).toEqual([2, 351, 100, 251]);
      const size = byName.get('message.size')!.histogram.dataPoints[0];
      expect(size.explicitBounds).toEqual([...BOUNDS.size]);
      expect(size.bucketCounts).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(byName.get('delivery.total-time')!.histogram.dataPoints[0].explicitBounds).toEqual([...BOUNDS.long]);

      const st = p.status();
      expect(st).toMatchObject({ configured: true, transport: label, state: 'ok', totalPushes: 1, failedPushes: 0, intervalMs: 3_600_000 });
      expect(st.pushes).toHaveLength(1);
      expect(st.pushes[0]).toMatchObject({ ok: true, dataPoints: 13 });
      expect(raised).toEqual([]);
    });
  }

  it('pushes on its own every interval, first one interval after start', async () => {
    const m = createMetrics({ disabledEvents: [] });
    feed(m);
    const before = Date.now();
    const p = await pusher(cfg({ endpoint: `${rx.httpUrl}/v1/metrics`, intervalMs: 150 }), m);
    expect(p.status().nextPushAt).toBeGreaterThanOrEqual(before + 150);
    await waitFor(() => p.status().totalPushes >= 2, 3000, 'two timed pushes');
    expect(p.status().pushes.slice(0, 2).map((r) => r.ok)).toEqual([true, true]);
    expect(rx.bodies('metrics').length).toBeGreaterThanOrEqual(2);
  });

  it('pushNow delivers within a second and moves the next push one interval ahead', async () => {
    const m = createMetrics({ disabledEvents: [] });
    feed(m);
    const p = await pusher(cfg({ transport: 'grpc', endpoint: rx.grpcUrl }), m);
    const asked = Date.now();
    void p.pushNow();
    await waitFor(() => rx.bodies('metrics').length === 1, 1000, 'the pushed metrics');
    expect(p.status().nextPushAt).toBeGreaterThanOrEqual(asked + 3_600_000);
  });

  it('a collector that is down is a failing status with error and hint, then recovers at the next interval', async () => {
    const m = createMetrics({ disabledEvents: [] });
    feed(m);
    await rx.stop();
    const p = await pusher(cfg({ endpoint: `${rx.httpUrl}/v1/metrics`, timeoutMs: 500, intervalMs: 400 }), m);
    await p.pushNow();
    let st = p.status();
    expect(st.state).toBe('failing');
    expect(st.failedPushes).toBe(1);
    expect(st.pushes[0]!.ok).toBe(false);
    expect(st.pushes[0]!.error).toMatch(/ECONNREFUSED/);
    expect(st.pushes[0]!.hint).toMatch(/nothing listens/);
    expect(st.pushes[0]!.dataPoints).toBe(13);
    expect(raised[0]).toEqual({ type: 'telemetry.otel-metrics-exporter-error', data: { details: 'OpenTelemetry metrics push failed', reason: st.pushes[0]!.error } });

    await rx.start();
    await waitFor(() => p.status().state === 'ok', 5000, 'a successful timed push');
    st = p.status();
    expect(st.pushes.at(-1)).toMatchObject({ ok: true });
    expect(st.pushes.at(-1)!.hint).toBeUndefined();
    expect(rx.bodies('metrics').length).toBeGreaterThanOrEqual(1);
  });

  it('a collector that rejects the payload fails with the HTTP status and a hint', async () => {
    const m = createMetrics({ disabledEvents: [] });
    rx.failWith('reject');
    const p = await pusher(cfg({ endpoint: `${rx.httpUrl}/v1/metrics` }), m);
    await p.pushNow();
    const rec = p.status().pushes[0]!;
    expect(rec.error).toBe('HTTP 400 Bad Request: receiver rejects the payload');
    expect(rec.hint).toMatch(/rejected the payload/);
    expect(rx.requests[0]!.answered).toBe(400);
  });

  it('is not created when the push is disabled, and stops cleanly', async () => {
    const m = createMetrics({ disabledEvents: [] });
    expect(await createOtlpPusher({ otel: { transport: 'disable' }, prometheus: { enable: false }, disabledEvents: [] }, m, hooks)).toBeUndefined();
    const p = (await createOtlpPusher(cfg({ endpoint: `${rx.httpUrl}/v1/metrics` }), m, hooks))!;
    await p.start();
    await p.stop();
    await p.stop();
    expect(p.status()).toMatchObject({ state: 'stopped', nextPushAt: undefined });
    await p.pushNow();
    expect(rx.requests).toEqual([]);
  });
});
