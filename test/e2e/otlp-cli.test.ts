import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';

// The OpenTelemetry packages are CommonJS and load lazily; this runs them from the bundle in
// dist/, which is what users run (the other OTLP tests run the sources directly).
let dir: string;
let rx: OtlpReceiver;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-otlp-cli-'));
  rx = await startOtlpReceiver();
});
afterEach(async () => {
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built mailtel command with OTLP', () => {
  for (const [transport, protocol] of [
    ['grpc', 'protobuf'],
    ['http', 'protobuf'],
    ['http', 'json'],
  ] as const) {
    it(`pushes metrics and exports logs and spans over ${transport}/${protocol}`, async () => {
      const endpoint = (signal: string) => (transport === 'grpc' ? rx.grpcUrl : `${rx.httpUrl}${signal}`);
      const cfg = join(dir, 'mailtel.toml');
      writeFileSync(
        cfg,
        `[source.fx]\ntype = "replay"\npath = "${ROOT}test/fixtures/replay/small.ndjson"\nspeed = 0\n\n` +
          `[tracer.otel]\ntype = "open-telemetry"\ntransport = "${transport}"\nprotocol = "${protocol}"\nendpoint = "${endpoint('')}"\nlevel = "trace"\nthrottle = "100ms"\n\n` +
          `[metrics.open-telemetry]\ntransport = "${transport}"\nprotocol = "${protocol}"\nendpoint = "${endpoint('/v1/metrics')}"\ninterval = "300ms"\n`,
      );
      const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
      await waitFor(() => ['metrics', 'logs', 'traces'].every((s) => rx.requests.some((r) => r.signal === s && r.body)), 15_000, 'metrics, logs and traces');
      await waitFor(() => statusLines(run.stdout()).some((s) => s.otlp.totalPushes > 0 && s.sinks[0].written === 50), 10_000, 'status');
      run.child.kill('SIGTERM');
      expect(await run.exit, run.how()).toBe(0);
      const final = statusLines(run.stdout()).find((s) => s.final);
      expect(final.otlp.failedPushes).toBe(0);
      expect(final.sinks[0]).toMatchObject({ id: 'otel', written: 50, droppedError: 0 });
      const logs = rx.requests.filter((r) => r.signal === 'logs' && r.body);
      const records = logs.flatMap((r) => (r.body!.resourceLogs as any[]).flatMap((rl) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords)));
      expect(records).toHaveLength(50);
      const metrics = rx.requests.find((r) => r.signal === 'metrics' && r.body)!;
      const names = (metrics.body!.resourceMetrics as any[])[0].scopeMetrics[0].metrics.map((m: any) => m.name);
      expect(names).toContain('smtp.connection-start');
      expect(run.stderr()).not.toMatch(/internal error|TypeError/);
    });
  }
});
