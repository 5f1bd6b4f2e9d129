import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { BIN, ROOT } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

let dir: string | undefined;
let rt: Runtime | undefined;
let rx: WebhookReceiver | undefined;
afterEach(async () => {
  await rt?.stop(3000);
  await rx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rt = rx = dir = undefined;
});

describe('webhooks in the runtime', () => {
  it('switching the webhook off stops delivery at the receiver, switching it on resumes it; the status store says so', async () => {
    rx = await startWebhookReceiver();
    const cfg = parseConfig(`[source.demo]\ntype = "demo"\nrate = 200\nseed = 1\n\n[webhook.ops]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "100ms"\n`, 't.toml');
    rt = await createRuntime(cfg);
    await rt.start();
    await waitFor(() => rx!.events().length > 20, 10_000, 'first deliveries');
    rt.command({ kind: 'toggle-sink', id: 'ops' });
    await waitFor(() => rt!.snapshot().webhooks[0]!.pending === 0, 5000, 'in-flight drained');
    const atOff = rx.events().length;
    const skippedBefore = rt.snapshot().webhooks[0]!.skipped;
    await waitFor(() => rt!.snapshot().webhooks[0]!.skipped > skippedBefore + 40, 10_000, 'events skipped while off');
    expect(rx.events().length).toBe(atOff);
    const off = rt.snapshot();
    expect(off.sinks.find((s) => s.id === 'ops')).toMatchObject({ enabled: false, state: 'disabled', type: 'webhook' });
    expect(off.webhooks[0]).toMatchObject({ enabled: false, state: 'disabled' });
    rt.command({ kind: 'toggle-sink', id: 'w_ops' });
    await waitFor(() => rx!.events().length > atOff + 20, 10_000, 'deliveries resumed');
    const s = rt.snapshot();
    const l = s.webhooks[0]!;
    expect(l.received).toBe(l.delivered + l.discarded + l.dropped + l.pending);
    const sink = s.sinks.find((x) => x.id === 'ops')!;
    expect(sink).toMatchObject({ enabled: true, written: l.delivered, queueDepth: l.pending });
    expect(s.deliveries[0]).toMatchObject({ webhookId: 'ops', status: 200 });
  });

  it('a receiver that is down stalls neither the sources nor the other sinks; its failures raise telemetry.webhook-error', async () => {
    rx = await startWebhookReceiver();
    await rx.stop();
    dir = mkdtempSync(join(tmpdir(), 'mailtel-webhook-rt-'));
    const input = join(dir, 'events.ndjson');
    writeFileSync(input, execFileSync(process.execPath, [BIN, 'generate', '--events', '3000', '--seed', '4']));
    const logs = join(dir, 'logs');
    const cfg = parseConfig(
      `[source.fast]\ntype = "replay"\npath = "${input}"\nspeed = 0\nrestamp = true\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${logs}"\n\n` +
        `[webhook.down]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "50ms"\nqueue-size = 100\n`,
      't.toml',
    );
    rt = await createRuntime(cfg);
    await rt.start();
    await waitFor(() => rt!.snapshot().sources[0]!.state === 'finished', 20_000, 'the replay finished');
    await waitFor(() => {
      const s = rt!.snapshot();
      return s.sinks.find((x) => x.id === 'log')!.written >= 3000 && s.webhooks[0]!.failedAttempts > 0;
    }, 10_000);
    const s = rt.snapshot();
    const l = s.webhooks[0]!;
    expect(l.pending).toBeLessThanOrEqual(100);
    expect(l.dropped).toBeGreaterThan(0);
    expect(l.delivered).toBe(0);
    expect(l.received).toBe(l.delivered + l.discarded + l.dropped + l.pending);
    // The log tracer got every replayed event and the webhook's error events.
    const lines = readdirSync(logs).flatMap((f) => readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean));
    // Stalwart's text in the event (its HTTP client names no cause); the cause is in the ledger.
    expect(lines.some((x) => x.includes('telemetry.webhook-error') && x.endsWith(`details = "Webhook request to ${rx!.url} failed: error sending request for url (${rx!.url})"`))).toBe(true);
    expect(l.recent[0]!.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url}): connection refused`);
    // ... which the webhook itself never receives
    expect(l.received).toBe(3000);
  });
});

describe('webhook event selection in the runtime', () => {
  it('a tracing.level "disable" override stops the tracers, not the webhook; its own error event never reaches it', async () => {
    rx = await startWebhookReceiver();
    dir = mkdtempSync(join(tmpdir(), 'mailtel-webhook-sel-'));
    const cfg = parseConfig(
      `[source.none]\ntype = "replay"\npath = "${ROOT}test/fixtures/replay/no-events.ndjson"\n\n[tracing.level]\n"auth.success" = "disable"\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n\n` +
        `[webhook.ops]\nurl = "${rx.url}"\nevents = ["auth.success", "telemetry.*"]\nthrottle = "50ms"\n`,
      't.toml',
    );
    rt = await createRuntime(cfg);
    await rt.start();
    rt.collector.ingest({ type: 'auth.success', data: { accountName: 'jane' } });
    rt.collector.ingest({ type: 'telemetry.webhook-error', data: { details: 'from elsewhere' } });
    await waitFor(() => rx!.events().length >= 1, 5000, 'the disabled event delivered');
    await rt.idle();
    expect(rx.events().map((e) => [e.type, e.data])).toEqual([['auth.success', { accountName: 'jane' }]]);
    expect(rx.events()[0]!.id).toMatch(/551$/);
    // The log tracer got the error event only: the override keeps auth.success from tracers.
    expect(rt.snapshot().sinks.find((s) => s.id === 'log')!.received).toBe(1);
  });
});
