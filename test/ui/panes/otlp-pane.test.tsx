import { formatDuration } from '../../../src/config/duration.js';
import { otlpLines } from '../../../src/ui/panes/otlp-pane.js';
import { stripSgr } from '../../../src/ui/text/styled.js';
import { loadTheme } from '../../../src/ui/theme.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { duration, exact } from '../../../src/ui/text/format.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { waitFor } from '../../helpers/wait.js';
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});

describe('OTLP pane', () => {
  it('OTLP pane: p pushes now; the push shows with its data points, a failed push with its error', async () => {
    const otlp = (endpoint: string) => `[metrics.open-telemetry]\ntransport = "http"\nendpoint = "${endpoint}"\ninterval = "1h"\ntimeout = "1s"\n`;
    ({ rt } = await replayRuntime(otlp(`${rx.httpUrl}/v1/metrics`)));
    const r = rt;
    s = screen(r, { cols: 120, rows: 40 });
    const head = await s.waitForFrame((t) => t.includes(`${rx.httpUrl}/v1/metrics`), 'the exporter line');
    // the configured interval as `check` writes it (config/duration.ts formatDuration)
    expect(head).toMatch(new RegExp(`every ${formatDuration(3_600_000)} · next push in (1h00m|59m\\d\\ds) · ${r.snapshot().otlp.state}`));
    await s.press('p');
    await waitFor(() => r.snapshot().otlp.totalPushes === 1, 5000, 'one push');
    const push = r.snapshot().otlp.pushes[0]!;
    expect(push.ok).toBe(true);
    expect(push.dataPoints).toBeGreaterThan(0);
    const text = await s.waitForFrame((t) => t.includes('1 push ●'), 'the push count');
    expect(text).toMatch(new RegExp(`ok +${duration(push.durationMs)} +${exact(push.dataPoints)} points`));
    s.unmount();
    await r.stop();

    ({ rt } = await replayRuntime(otlp('http://127.0.0.1:9/v1/metrics')));
    const r2 = rt;
    s = screen(r2, { cols: 120, rows: 40 });
    await s.press('p');
    await waitFor(() => r2.snapshot().otlp.totalPushes === 1, 8000, 'one failed push');
    const failed = r2.snapshot().otlp.pushes[0]!;
    expect(failed.ok).toBe(false);
    const t2 = await s.waitForFrame((t) => t.includes('1 failed'), 'the failed count');
    expect(t2).toContain('✗');
    expect(t2).toContain(`FAIL ${duration(failed.durationMs).padStart(7)}`);
    // the error in full (wrapped), with its hint: not cut to a few characters
    const flat = s.lines().join(' ').replace(/\s+/g, ' ');
    expect(flat).toContain(`last error: ${failed.error}`);
    expect(flat).toContain(`last error: ${failed.error} · hint:`);
    // Enter on the OTLP pane: the detail view
    await s.press('\t');
    await s.press('\t');
    await s.press('\r');
    const d = await s.waitForFrame((t) => t.includes('OTLP metrics push'), 'the OTLP detail view');
    expect(d).toMatch(/endpoint +http:\/\/127\.0\.0\.1:9\/v1\/metrics/);
    expect(d).toMatch(/transport +http\/protobuf/);
    expect(d.replace(/\s+/g, ' ')).toContain(failed.hint!.split(':')[0]);
    expect(d).toContain('Recent pushes (1, newest first)');
    await s.press('\x1b');
    // and in m, the runtime's messages
    await s.press('m');
    const m = await s.waitForFrame((t) => t.includes('Runtime messages'), 'the messages');
    expect(m).toContain('OTLP metrics push to http://127.0.0.1:9/v1/metrics failed');
  });

  it('without an exporter or a webhook, the panes show the config that enables them', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 120, rows: 40 });
    const text = await s.waitForFrame((t) => t.includes('exporter not configured'), 'the OTLP empty state');
    for (const l of ['[metrics.open-telemetry]', 'transport = "grpc"', 'endpoint = "http://127.0.0.1:4317"', 'interval = "1m"', '[webhook.ops]', 'url = "https://…"', 'events = ["*"]']) {
      expect(text).toContain(l);
    }
    expect(text).toContain('no webhook configured');
    await s.press('p');
    await s.waitForFrame((t) => t.includes('OTLP metrics exporter not configured: see the OTLP pane'), 'the p feedback');
    expect(rt.snapshot().otlp.totalPushes).toBe(0);
  });

  it('a push in flight shows as such with its elapsed time, not as a countdown', () => {
    const o = { configured: true, transport: 'grpc', endpoint: 'http://c:4317', intervalMs: 60_000, nextPushAt: 100_000, pushingSince: 40_000, state: 'ok' as const, pushes: [], totalPushes: 0, failedPushes: 0 };
    const text = otlpLines({ otlp: o, now: 52_000, scroll: 0, focused: false, width: 80, height: 6, theme: loadTheme('mono') }).map(stripSgr).join('\n');
    expect(text).toContain('every 1m · pushing now 12s · ok');
    expect(text).not.toContain('next push');
  });
});
