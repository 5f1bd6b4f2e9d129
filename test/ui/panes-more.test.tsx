import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/runtime.js';
import type { DeliveryRecord } from '../../src/runtime/types.js';
import { duration, exact } from '../../src/ui/text/format.js';
import { KEY_HELP } from '../../src/ui/view/keymap.js';
import { statusSegs } from '../../src/ui/panes/footer.js';
import { webhooksLines } from '../../src/ui/panes/webhooks-pane.js';
import { initialState } from '../../src/ui/view/state.js';
import { stripSgr } from '../../src/ui/text/styled.js';
import { loadTheme } from '../../src/ui/theme.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { expectShape, replayRuntime, screen, until, type Screen } from './ui-helpers.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
let rx: OtlpReceiver;
beforeAll(async () => {
  rx = await startOtlpReceiver();
});
afterAll(async () => {
  await rx.close();
});
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});


describe('OTLP, webhooks, overlays and sizes', () => {
  it('OTLP pane: p pushes now; the push shows with its data points, a failed push with its error', async () => {
    const otlp = (endpoint: string) => `[metrics.open-telemetry]\ntransport = "http"\nendpoint = "${endpoint}"\ninterval = "1h"\ntimeout = "1s"\n`;
    ({ rt } = await replayRuntime(otlp(`${rx.httpUrl}/v1/metrics`)));
    const r = rt;
    s = screen(r, { cols: 120, rows: 40 });
    const head = await s.waitFor((t) => t.includes(`${rx.httpUrl}/v1/metrics`), 'the exporter line');
    expect(head).toMatch(new RegExp(`every ${duration(3_600_000)} · next push in (1h00m|59m\\d\\ds) · ${r.snapshot().otlp.state}`));
    await s.press('p');
    await until(() => r.snapshot().otlp.totalPushes === 1, 'one push');
    const push = r.snapshot().otlp.pushes[0]!;
    expect(push.ok).toBe(true);
    expect(push.dataPoints).toBeGreaterThan(0);
    const text = await s.waitFor((t) => t.includes('1 pushes ●'), 'the push count');
    expect(text).toMatch(new RegExp(`ok +${duration(push.durationMs)} +${exact(push.dataPoints)} points`));
    s.unmount();
    await r.stop();

    ({ rt } = await replayRuntime(otlp('http://127.0.0.1:9/v1/metrics')));
    const r2 = rt;
    s = screen(r2, { cols: 120, rows: 40 });
    await s.press('p');
    await until(() => r2.snapshot().otlp.totalPushes === 1, 'one failed push', 8000);
    const failed = r2.snapshot().otlp.pushes[0]!;
    expect(failed.ok).toBe(false);
    const t2 = await s.waitFor((t) => t.includes('1 failed'), 'the failed count');
    expect(t2).toContain('✗');
    expect(t2).toContain(`FAIL ${duration(failed.durationMs).padStart(7)}`);
    expect(t2).toContain(failed.error!.slice(0, 20));
  });

  it('without an exporter or a webhook, the panes show the config that enables them', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 120, rows: 40 });
    const text = await s.waitFor((t) => t.includes('exporter not configured'), 'the OTLP empty state');
    for (const l of ['[metrics.open-telemetry]', 'transport = "grpc"', 'endpoint = "http://127.0.0.1:4317"', 'interval = "1m"', '[webhook.ops]', 'url = "https://…"', 'events = ["*"]']) {
      expect(text).toContain(l);
    }
    expect(text).toContain('no webhook configured');
    await s.press('p');
    await s.waitFor((t) => t.includes('OTLP metrics exporter not configured: see the OTLP pane'), 'the p feedback');
    expect(rt.snapshot().otlp.totalPushes).toBe(0);
  });

  it('webhooks pane: a configured webhook shows its ledger, newest first, as the runtime records it', async () => {
    ({ rt } = await replayRuntime(`[webhook.ops]\nurl = "http://127.0.0.1:9/hook"\nevents = ["*"]\nthrottle = "100ms"\n`));
    const r = rt;
    s = screen(r, { cols: 120, rows: 40 });
    await s.press('f');
    const text = await s.waitFor((t) => t.includes(' Webhooks '), 'the webhooks pane');
    expect(text).not.toContain('no webhook configured');
    const d = r.snapshot().deliveries;
    if (d.length === 0) expect(text).toContain('no delivery yet (f flushes now)');
    else expect(text).toMatch(new RegExp(`${d[0]!.webhookId} +${exact(d[0]!.events)} ev`));
  });

  it('the ledger lines: newest first with status, latency, attempt and retry countdown', () => {
    const theme = loadTheme('mono', {});
    const now = Date.UTC(2025, 5, 15, 18, 0, 10);
    const deliveries: DeliveryRecord[] = [
      { at: now - 1000, webhookId: 'ops', events: 120, error: 'connect ECONNREFUSED 127.0.0.1:9', latencyMs: 3, attempt: 2, nextAttemptAt: now + 2000 },
      { at: now - 5000, webhookId: 'ops', events: 7, status: 200, latencyMs: 85, attempt: 1 },
    ];
    const lines = webhooksLines({ configured: true, deliveries, now, cursor: 0, focused: false, width: 100, height: 5, theme }).map(stripSgr);
    expect(lines[1]).toContain('time');
    expect(lines[2]).toMatch(/^ 18:00:09 ops +120 ev +ERR +3ms #2 +retry in 2s connect ECONNREFUSED 127\.0\.0\.1:9$/);
    expect(lines[3]).toMatch(/^ 18:00:05 ops +7 ev +200 +85ms #1 *$/);
  });

  it('? lists every key and the bytes written to the terminal per second', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 40, bytesPerSecond: () => 3 * 1024 });
    await s.press('?');
    const text = await s.waitFor((t) => t.includes(' Help '), 'the help overlay');
    for (const k of KEY_HELP) expect(text).toContain(k.keys);
    expect(text).toContain('3.0 KiB/s written to the terminal');
    await s.press('\x1b');
    await s.waitFor((t) => !t.includes(' Help '), 'help closed');
  });

  it('m shows the runtime messages: the two malformed lines of the fixture', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 30 });
    await s.press('m');
    const n = rt.snapshot().messages.length;
    const text = await s.waitFor((t) => t.includes(`Runtime messages (${n}, newest last)`), 'the messages overlay');
    expect(text).toContain('small.ndjson:14');
    expect(text).toContain('small.ndjson:37');
  });

  it('the console tracer writes into the screen: its newest line on the status line, all of them under m', async () => {
    ({ rt } = await replayRuntime(`[tracer.console]\ntype = "console"\nlevel = "warn"\n`));
    const snap = rt.snapshot();
    const lines = snap.consoleLines ?? [];
    const warnUp = rt.recentEvents().filter((e) => e.level === 'warn' || e.level === 'error');
    expect(lines).toHaveLength(warnUp.length);
    expect(stripSgr(lines.at(-1)!)).toContain(`(${warnUp.at(-1)!.type})`);
    // Fresh runtime messages (the malformed lines) win; ten seconds later the console line shows.
    const later = statusSegs(initialState, { ...snap, at: snap.messages.at(-1)!.at + 11_000 }).map(([t]) => t).join('');
    expect(later).toBe(` console: ${stripSgr(lines.at(-1)!)}`);
    expect(statusSegs(initialState, snap).map(([t]) => t).join('')).toContain('small.ndjson:37');
    s = screen(rt, { cols: 200, rows: 60 });
    await s.press('m');
    const text = await s.waitFor((t) => t.includes(`Console tracer output (${lines.length} lines kept)`), 'the console section');
    for (const l of lines) expect(text).toContain(stripSgr(l).slice(0, 150));
  });

  it('fits every size from 80x24 to 200x60, follows resizes, and splits OTLP | webhooks when wide', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 80, rows: 24 });
    await s.waitFor((t) => t.split('\n').length === 24, '24 lines');
    expectShape(s, 80, 24);
    for (const [c, r] of [[120, 40], [200, 60], [100, 30], [80, 24]] as const) {
      s.terminal.resize(c, r);
      await s.waitFor((t) => t.split('\n').length === r, `${r} lines`);
      expectShape(s, c, r);
      const split = s.lines().some((l) => /^ OTLP metrics .* Webhooks /.test(l));
      expect(split, `${c}x${r}`).toBe(c >= 120);
    }
  });

  it('q asks for the graceful stop once and shows it', async () => {
    ({ rt } = await replayRuntime());
    const sc = (s = screen(rt, { cols: 80, rows: 24 }));
    await sc.press('q');
    await sc.waitFor((t) => t.includes('stopping: flushing sinks…'), 'the stopping line');
    await sc.press('q');
    expect(sc.quits).toBe(1);
  });
});
