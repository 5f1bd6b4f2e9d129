import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LevelSetting } from '../../../src/catalogue/types.js';
import type { Config } from '../../../src/load-config.js';
import type { OtelTracerConfig } from '../../../src/sinks/otel/config.js';
import type { IncomingEvent } from '../../../src/runtime/event.js';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { waitFor } from '../../helpers/wait.js';
import { attrs, knownSequence, otelConfig, sec, START_KEYS, T0, VERSION } from '../../helpers/otel-events.js';

// The tracer inside the real runtime: the collector stamps the events, the subscriber filters by
// level, throttles and retries. Shows what an info-level tracer sees of SMTP spans.

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});

function config(tracer: OtelTracerConfig, overrides: [string, LevelSetting][] = []): Config {
  return {
    file: 'otel-tracer-runtime.test',
    tracers: [tracer],
    webhooks: [],
    metrics: { otel: { transport: 'disable' }, prometheus: { enable: false }, disabledEvents: [] },
    sources: [],
    http: { auth: {}, maxClients: 64, clientBufferBytes: 16 * 1024 * 1024 },
    levelOverrides: new Map(overrides),
    warnings: [],
  };
}

const incoming = (): IncomingEvent[] => knownSequence().map((e) => ({ type: e.type, createdAt: e.createdAt, data: e.data, spanId: e.spanId }));

function logged(): string[] {
  return rx.bodies('logs').flatMap((b) => (b.resourceLogs as any[]).flatMap((rl) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.map((l: any) => l.eventName))));
}

function spans(): any[] {
  return rx.bodies('traces').flatMap((b) => (b.resourceSpans as any[]).flatMap((rs) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
}

async function run(rt: Runtime, events: IncomingEvent[]): Promise<void> {
  await rt.start();
  for (const e of events) rt.collector.ingest(e);
  await rt.idle();
}

describe('open-telemetry tracer in the runtime', () => {
  it('at level info builds no SMTP spans: their end event is debug (the events between stay held)', async () => {
    rx.clear();
    const rt = await createRuntime(config(otelConfig({ level: 'info', endpoint: rx.httpUrl })), { serviceVersion: VERSION });
    await run(rt, incoming());
    expect(logged()).toEqual(['auth.success', 'smtp.ehlo', 'smtp.mail-from', 'smtp.rcpt-to']);
    expect(spans()).toHaveLength(0);
    expect(rt.snapshot().sinks[0]!.details).toMatchObject({ logsExported: 4, spansExported: 0, openSpans: 1 });
    await rt.stop();
  });

  it('at level info with tracing.level overrides raising start/end to info, builds the span', async () => {
    rx.clear();
    const overrides: [string, LevelSetting][] = [['smtp.connection-start', 'info'], ['smtp.connection-end', 'info']];
    const rt = await createRuntime(config(otelConfig({ level: 'info', transport: 'grpc', endpoint: rx.grpcUrl }), overrides), { serviceVersion: VERSION });
    await run(rt, incoming());
    expect(logged()).toHaveLength(6);
    const [s] = spans();
    expect(s.name).toBe('smtp.connection-start');
    expect(s.events.map((e: any) => e.name)).toEqual(['smtp.ehlo', 'smtp.mail-from', 'smtp.connection-end']);
    // The override changes the severity too (docs/stalwart.md §1).
    const rl = (rx.bodies('logs')[0]!.resourceLogs as any[])[0].scopeLogs[0].logRecords[1];
    expect([rl.eventName, rl.severityText]).toEqual(['smtp.connection-start', 'INFO']);
    await rt.stop();
  });

  it('builds the span even when this tracer does not select the start event: its keys still become the span\'s attributes', async () => {
    rx.clear();
    const rt = await createRuntime(config(otelConfig({ level: 'info', endpoint: rx.httpUrl }), [['smtp.connection-end', 'info']]), { serviceVersion: VERSION });
    await run(rt, incoming());
    expect(logged()).not.toContain('smtp.connection-start');
    const [s, more] = spans();
    expect(more).toBeUndefined();
    expect(s.name).toBe('smtp.connection-start');
    expect(s.startTimeUnixNano).toBe(sec(T0 + 1000));
    expect(attrs(s.attributes)).toEqual(START_KEYS);
    expect(s.events.map((e: any) => e.name)).toEqual(['smtp.ehlo', 'smtp.mail-from', 'smtp.connection-end']);
    await rt.stop();
  });

  it('while the collector is down the sink is retrying; once up every record arrives once', async () => {
    rx.clear();
    const rt = await createRuntime(config(otelConfig({ endpoint: rx.httpUrl, timeoutMs: 500 })), { serviceVersion: VERSION });
    await rx.stop();
    let up = false;
    try {
      await rt.start();
      const events = incoming();
      for (const e of events.slice(0, 3)) rt.collector.ingest(e);
      await waitFor(() => rt.snapshot().sinks[0]!.state === 'retrying', 10_000, 'the sink to be retrying');
      const status = rt.snapshot().sinks[0]!;
      expect(status.lastError?.message).toMatch(/logs to http:\/\/127\.0\.0\.1:\d+\/v1\/logs: .*ECONNREFUSED/);
      expect(status.written).toBe(0);
      // More events arrive while retrying: the subscriber hands them in with the held batch.
      for (const e of events.slice(3)) rt.collector.ingest(e);
      await rx.start();
      up = true;
      await waitFor(() => rt.snapshot().sinks[0]!.written === 6, 15_000, 'all six events written');
      expect(logged()).toEqual(['auth.success', 'smtp.connection-start', 'smtp.ehlo', 'smtp.mail-from', 'smtp.rcpt-to', 'smtp.connection-end']);
      expect(spans().map((s) => s.name)).toEqual(['smtp.connection-start']);
      expect(rt.snapshot().messages.some((m) => m.level === 'error' && m.text.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      if (!up) await rx.start();
      await rt.stop();
    }
  });
});
