import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { ROOT } from '../helpers/cli.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { waitFor } from '../helpers/wait.js';
import { stalwartTsv } from '../helpers/stalwart-data.js';

const FIXTURE = `${ROOT}test/fixtures/replay/small.ndjson`;
type Json = Record<string, any>;

/** How often each event type occurs in the fixture's valid lines. */
function fixtureCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    try {
      const t = JSON.parse(line).type;
      if (typeof t === 'string') counts.set(t, (counts.get(t) ?? 0) + 1);
    } catch {
      // the fixture's malformed lines
    }
  }
  return counts;
}

let rt: Runtime | undefined;
let rx: OtlpReceiver | undefined;
afterEach(async () => {
  await rt?.stop(2000);
  await rx?.close();
  rt = rx = undefined;
});

async function runFixture(extra: string): Promise<Runtime> {
  const cfg = parseConfig(`[source.fx]\ntype = "replay"\npath = "${FIXTURE}"\nspeed = 0\n\n[tracer.mem]\ntype = "console"\nenable = false\n\n${extra}`, 'test.toml');
  rt = await createRuntime(cfg, { consoleOut: process.stderr });
  await rt.start();
  await waitFor(() => rt!.snapshot().sources[0]!.state === 'finished', 5000, 'the replay to finish');
  return rt;
}

describe('metrics through the runtime', () => {
  it('push now sends the counters of a replay to a real OTLP/gRPC collector and records the push', async () => {
    rx = await startOtlpReceiver();
    const r = await runFixture(`[metrics.open-telemetry]\ntransport = "grpc"\nendpoint = "${rx.grpcUrl}"\ninterval = "1h"\n`);
    expect(r.snapshot().otlp).toMatchObject({ configured: true, transport: 'grpc', intervalMs: 3_600_000, totalPushes: 0 });
    r.command({ kind: 'push-metrics' });
    const req = await waitFor(() => rx!.requests.find((q) => q.signal === 'metrics'), 1000, 'the push within a second');
    const metrics = (req.body!.resourceMetrics as Json[])[0]!.scopeMetrics[0].metrics as Json[];
    const byName = new Map(metrics.map((m) => [m.name, m]));
    const counts = fixtureCounts();
    // the counter set of metrics-v0.15.tsv, read independently of the generated catalogue
    const tsv = stalwartTsv('metrics-v0.15.tsv');
    const counterNames = new Set(tsv.filter((c) => c[1] === 'counter' && !c[4]?.startsWith('counter-never')).map((c) => c[0]));
    const expected = [...counts].filter(([name]) => counterNames.has(name));
    expect(expected.length).toBeGreaterThan(10);
    for (const [name, n] of expected) expect(byName.get(name)?.sum.dataPoints[0].asInt, name).toBe(n);
    expect(byName.get('smtp.connection-start')?.sum.dataPoints[0].asInt).toBe(counts.get('smtp.connection-start'));
    expect(byName.has('smtp.rcpt-to')).toBe(false); // not a metric event
    expect(byName.has('smtp.connection-end')).toBe(false); // span ends are never counted (docs/stalwart.md §6)
    await waitFor(() => r.snapshot().otlp.totalPushes === 1, 2000, 'the push record');
    const push = r.snapshot().otlp.pushes[0]!;
    expect(push).toMatchObject({ ok: true });
    expect(push.dataPoints).toBe(metrics.length);
  });

  it('a collector that is down is a failing status with a hint, raises the error event, and nothing crashes', async () => {
    rx = await startOtlpReceiver();
    const url = `${rx.httpUrl}/v1/metrics`;
    await rx.stop();
    const r = await runFixture(`[metrics.open-telemetry]\ntransport = "http"\nendpoint = "${url}"\ninterval = "1h"\ntimeout = "1s"\n`);
    r.command({ kind: 'push-metrics' });
    await waitFor(() => r.snapshot().otlp.failedPushes === 1, 5000, 'the failed push');
    const s = r.snapshot();
    expect(s.otlp.state).toBe('failing');
    expect(s.otlp.pushes[0]!.error).toMatch(/ECONNREFUSED/);
    expect(s.otlp.pushes[0]!.hint).toMatch(/nothing listens at the endpoint/);
    expect(r.recentEvents().some((e) => e.type === 'telemetry.otel-metrics-exporter-error')).toBe(true);
    await rx.start();
    r.command({ kind: 'push-metrics' });
    await waitFor(() => r.snapshot().otlp.state === 'ok', 5000, 'recovery');
    expect(r.snapshot().otlp).toMatchObject({ totalPushes: 2, failedPushes: 1 });
  });

  it('serves the Prometheus scrape on http.listen with the replay counters', async () => {
    const r = await runFixture(`[http]\nlisten = "127.0.0.1:0"\n\n[metrics.prometheus]\nenable = true\n`);
    const res = await fetch(`${r.http!.url}/metrics/prometheus`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const counts = fixtureCounts();
    expect(text).toContain(`\nsmtp_connection_start ${counts.get('smtp.connection-start')}\n`);
    expect(text).toMatch(/# TYPE smtp_request_time histogram/);
  });
});
