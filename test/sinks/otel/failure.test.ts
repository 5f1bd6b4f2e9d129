import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtelTracerConfig } from '../../../src/sinks/otel/config.js';
import type { WriteResult } from '../../../src/runtime/types.js';
import type { Sink } from '../../../src/runtime/types.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { createOtelTracerSink } from '../../../src/sinks/otel/sink.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { knownSequence, otelConfig, VERSION } from '../../helpers/otel-events.js';

// Failure paths against the real receiver: a collector that is down, then up; a collector that
// answers with an error; each exporter switched off.

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});

const settings: [string, () => Partial<OtelTracerConfig>][] = [
  ['grpc', () => ({ transport: 'grpc', endpoint: rx.grpcUrl })],
  ['http/protobuf', () => ({ transport: 'http', protocol: 'protobuf', endpoint: rx.httpUrl })],
  ['http/json', () => ({ transport: 'http', protocol: 'json', endpoint: rx.httpUrl })],
];

/** Hands the same batch in again, as the subscriber does after `retry: true`, until it goes through. */
async function writeUntilOk(sink: Sink, batch: TelemetryEvent[], withinMs: number): Promise<{ result: WriteResult; attempts: number }> {
  const end = Date.now() + withinMs;
  for (let attempts = 1; ; attempts++) {
    const result = await sink.write(batch);
    if (result.ok || Date.now() > end) return { result, attempts };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function loggedNames(): string[] {
  return rx.bodies('logs').flatMap((b) => (b.resourceLogs as any[]).flatMap((rl) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.map((l: any) => l.eventName))));
}

function spanNames(): string[] {
  return rx.bodies('traces').flatMap((b) => (b.resourceSpans as any[]).flatMap((rs) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => s.name))));
}

describe('open-telemetry tracer failures', () => {
  for (const [name, over] of settings) {
    it(`retries while the collector is down, then delivers once over ${name}`, async () => {
      const sink = await createOtelTracerSink(otelConfig({ ...over(), timeoutMs: 1000 }), VERSION);
      await rx.stop();
      let up = false;
      try {
        const batch = knownSequence();
        const down = await sink.write(batch);
        expect(down.ok).toBe(false);
        if (down.ok) return;
        expect(down.retry).toBe(true);
        expect(down.error).toMatch(name === 'grpc' ? /UNAVAILABLE/ : /ECONNREFUSED/);
        expect(down.error).toContain('logs to ');
        expect(down.error).toContain('spans to ');
        expect(sink.details!()).toMatchObject({ logsExported: 0, spansExported: 0, pendingLogs: 6, pendingSpans: 1 });
        rx.clear();
        await rx.start();
        up = true;
        const { result } = await writeUntilOk(sink, batch, 15_000);
        expect(result).toEqual({ ok: true });
        // The retried batch was recognised: every record arrives exactly once.
        expect(loggedNames()).toEqual(['auth.success', 'smtp.connection-start', 'smtp.ehlo', 'smtp.mail-from', 'smtp.rcpt-to', 'smtp.connection-end']);
        expect(spanNames()).toEqual(['smtp.connection-start']);
        expect(sink.details!()).toMatchObject({ logsExported: 6, spansExported: 1, pendingLogs: 0, pendingSpans: 0 });
      } finally {
        if (!up) await rx.start();
        await sink.close!();
      }
    });
  }

  it('keeps retrying on a collector error (HTTP 500) and drops on a rejection (HTTP 400)', async () => {
    const sink = await createOtelTracerSink(otelConfig({ endpoint: rx.httpUrl, timeoutMs: 1000 }), VERSION);
    const [a, b] = [knownSequence(), knownSequence()];
    rx.failWith('unavailable');
    const failing = await sink.write(a);
    expect(failing).toMatchObject({ ok: false, retry: true });
    expect(!failing.ok && failing.error).toMatch(/HTTP 500 .*receiver told to fail/);
    rx.failWith('reject');
    const rejected = await sink.write(b);
    expect(rejected).toMatchObject({ ok: false, retry: false });
    expect(!rejected.ok && rejected.error).toMatch(/HTTP 400 .*receiver rejects the payload/);
    // A permanent refusal drops what was pending, so the next write starts clean.
    expect(sink.details!()).toMatchObject({ pendingLogs: 0, pendingSpans: 0, logsExported: 0 });
    rx.failWith('none');
    rx.clear();
    expect(await sink.write([])).toEqual({ ok: true });
    expect(rx.requests).toHaveLength(0);
    await sink.close!();
  });

  it('drops on gRPC INVALID_ARGUMENT, retries on gRPC UNAVAILABLE', async () => {
    const sink = await createOtelTracerSink(otelConfig({ transport: 'grpc', endpoint: rx.grpcUrl }), VERSION);
    rx.failWith('unavailable');
    const failing = await sink.write(knownSequence());
    expect(failing).toMatchObject({ ok: false, retry: true });
    expect(!failing.ok && failing.error).toMatch(/14 UNAVAILABLE: receiver told to fail/);
    rx.failWith('reject');
    const rejected = await sink.write([]);
    expect(rejected).toMatchObject({ ok: false, retry: false });
    expect(!rejected.ok && rejected.error).toMatch(/3 INVALID_ARGUMENT: receiver rejects the payload/);
    rx.failWith('none');
    await sink.close!();
  });

  it('sends only spans when the log exporter is off, only logs when the span exporter is off', async () => {
    rx.clear();
    const spansOnly = await createOtelTracerSink(otelConfig({ endpoint: rx.httpUrl, logExporter: false }), VERSION);
    expect(await spansOnly.write(knownSequence())).toEqual({ ok: true });
    expect(rx.requests.map((r) => r.signal)).toEqual(['traces']);
    expect(spanNames()).toEqual(['smtp.connection-start']);
    expect(spansOnly.details!()).toMatchObject({ logsExported: 0, spansExported: 1 });
    await spansOnly.close!();

    rx.clear();
    const logsOnly = await createOtelTracerSink(otelConfig({ transport: 'grpc', endpoint: rx.grpcUrl, spanExporter: false }), VERSION);
    expect(await logsOnly.write(knownSequence().slice(0, 3))).toEqual({ ok: true });
    expect(rx.requests.map((r) => r.signal)).toEqual(['logs']);
    expect(loggedNames()).toEqual(['auth.success', 'smtp.connection-start', 'smtp.ehlo']);
    expect(logsOnly.details!()).toMatchObject({ logsExported: 3, spansExported: 0, openSpans: 0 });
    await logsOnly.close!();
  });

  it('reports a bad endpoint as a failing start, never a throw', async () => {
    const sink = await createOtelTracerSink(otelConfig({ endpoint: 'http://[not-a-host' }), VERSION);
    const started = await sink.start!();
    expect(started).toMatchObject({ ok: false, retry: false });
    expect(!started.ok && started.error).toMatch(/open-telemetry tracer otel: .*Invalid URL/);
    expect(await sink.write(knownSequence())).toMatchObject({ ok: false, retry: false });
    await sink.flush!();
    await sink.close!();
  });

  it('flush sends what a failed write left pending; a closed sink refuses writes', async () => {
    const sink = await createOtelTracerSink(otelConfig({ endpoint: rx.httpUrl, timeoutMs: 1000 }), VERSION);
    rx.failWith('unavailable');
    expect(await sink.write(knownSequence())).toMatchObject({ ok: false, retry: true });
    rx.failWith('none');
    rx.clear();
    await sink.flush!();
    expect(loggedNames()).toHaveLength(6);
    expect(spanNames()).toEqual(['smtp.connection-start']);
    await sink.close!();
    expect(await sink.write(knownSequence())).toMatchObject({ ok: false, retry: false });
  });
});
