import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startSilentPeer, type SilentPeer } from '../helpers/silent-peer.js';

// A collector that accepts the connection and never answers must not hold shutdown past
// --stop-timeout: what is in flight is abandoned and counted as not delivered.
let dir: string;
let peer: SilentPeer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-stop-'));
  peer = await startSilentPeer();
});
afterEach(async () => {
  await peer.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const transport of ['grpc', 'http'] as const) {
  describe(`shutdown with a never-answering OTLP collector (${transport})`, () => {
    it('is bounded by --stop-timeout and says what was not delivered', async () => {
      const endpoint = transport === 'grpc' ? peer.url : `${peer.url}/v1/metrics`;
      const cfg = join(dir, 'm.toml');
      writeFileSync(
        cfg,
        `[source.d]\ntype = "demo"\nrate = 100\nseed = 1\n\n` +
          `[tracer.otel]\ntype = "open-telemetry"\ntransport = "${transport}"\nendpoint = "${transport === 'grpc' ? peer.url : peer.url + '/'}"\nlevel = "info"\nthrottle = "100ms"\ntimeout = "60s"\n\n` +
          `[metrics.open-telemetry]\ntransport = "${transport}"\nendpoint = "${endpoint}"\ninterval = "200ms"\ntimeout = "60s"\n`,
      );
      const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--stop-timeout', '1500', '--config', cfg]);
      // a push and an export are in flight (timeout 60 s: neither will end by itself)
      await waitFor(
        () => peer.connections() > 0 && statusLines(run.stdout()).some((s) => s.otlp.pushingSince !== undefined && s.sinks[0].writes === 0 && s.sinks[0].received > 20),
        15_000,
        'push and export in flight',
      );
      const t0 = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      const took = Date.now() - t0;
      // 1.5 s budget plus process exit, not the 60 s export timeout: the bound is wide so that a
      // loaded machine cannot fail it; what ended the flush is asserted below in words
      expect(took).toBeLessThan(30_000);
      const final = statusLines(run.stdout()).find((s) => s.final);
      const sink = final.sinks[0];
      expect(sink.state).toBe('stopped');
      expect(sink.written).toBe(0);
      expect(sink.droppedError).toBe(sink.received);
      expect(sink.droppedError).toBeGreaterThan(0);
      expect(sink.lastError.message).toMatch(/events not delivered: the stop timeout ended a write in flight|events still queued at shutdown/);
      const last = final.otlp.pushes[final.otlp.pushes.length - 1];
      expect(last).toMatchObject({ ok: false, error: expect.stringMatching(/not delivered: the stop timeout ended the push in flight/) });
      expect(final.problems.join('\n')).toMatch(/sink t_otel: .*\(\d+ events not delivered\)/);
      expect(final.problems.join('\n')).toMatch(/otlp push: not delivered/);
      console.log(`${transport}: SIGTERM to exit ${took} ms with --stop-timeout 1500`);
    });
  });
}
