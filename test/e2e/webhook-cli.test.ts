import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookTypeId } from '../../src/sinks/webhook/type-id.js';
import { ROOT, runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let dir: string;
let rx: WebhookReceiver | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-webhook-e2e-'));
});
afterEach(async () => {
  await rx?.close();
  rx = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const FIXTURE = join(ROOT, 'test/fixtures/replay/small.ndjson');

function fixtureEvents(): { type: string; createdAt: string; data: Record<string, unknown> }[] {
  const out = [];
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    try {
      const ev = JSON.parse(line);
      if (ev && typeof ev.type === 'string') out.push(ev);
    } catch {
      // the fixture's malformed lines: the replay counts them, they are never delivered
    }
  }
  return out;
}

describe('webhook delivery through the real command', () => {
  it('replays a fixture to a receiver that fails 500 first: every event once, in order, signed, with Basic auth and the extra headers', async () => {
    rx = await startWebhookReceiver({ key: 'hook-key' });
    const failUntil = Date.now() + 1500;
    rx.answer = () => (Date.now() < failUntil ? 500 : 200);
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(
      cfg,
      `[source.fixture]\ntype = "replay"\npath = "${FIXTURE}"\nspeed = 0\n\n` +
        `[webhook.ops]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "200ms"\ndiscard-after = "36500d"\n` +
        `signature-key = "hook-key"\nauth.username = "stalwart"\nauth.secret = "s3cret-pass"\nheaders = ["X-Tenant: acme", "X-Env: e2e"]\n`,
    );
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
    await waitFor(() => rx!.events().length >= 50, 20_000, 'all 50 events accepted');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);

    const want = fixtureEvents();
    expect(want).toHaveLength(50);
    const got = rx.events();
    expect(got.map((e) => e.type)).toEqual(want.map((e) => e.type));
    expect(got.map((e) => e.createdAt)).toEqual(want.map((e) => e.createdAt));
    for (const [i, e] of got.entries()) {
      const seconds = Math.floor(Date.parse(want[i]!.createdAt) / 1000);
      expect(e.id).toBe(`${seconds}${webhookTypeId(e.type)}`);
      // the event's own keys are all there (span keys may follow)
      for (const [k, v] of Object.entries(want[i]!.data)) if (v !== null && k !== 'spanId') expect(e.data[k]).toEqual(v);
    }
    const failed = rx.posts.filter((p) => p.answered === 500);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const p of rx.posts) {
      expect(p.signatureValid).toBe(true);
      const h = Object.fromEntries(p.rawHeaders);
      expect(h.authorization).toBe(`Basic ${Buffer.from('stalwart:s3cret-pass').toString('base64')}`);
      expect(p.rawHeaders.map(([n]) => n).slice(0, 5)).toEqual(['x-tenant', 'x-env', 'authorization', 'content-type', 'x-signature']);
      expect(h['x-tenant']).toBe('acme');
    }

    const final = statusLines(run.stdout()).find((s) => s.final);
    const ledger = final.webhooks.find((w: { id: string }) => w.id === 'ops');
    expect(ledger).toMatchObject({ received: 50, delivered: 50, discarded: 0, dropped: 0, pending: 0, signed: true, auth: 'basic' });
    expect(ledger.failedAttempts).toBe(failed.length);
    expect(ledger.recent.at(-1).status).toBe(500);
    expect(JSON.stringify(final)).not.toContain('s3cret-pass');
    const sink = final.sinks.find((s: { id: string }) => s.id === 'ops');
    expect(sink).toMatchObject({ type: 'webhook', subscriberId: 'w_ops', written: 50 });
    // the failures were raised as telemetry.webhook-error with Stalwart's text
    expect(final.messages.map((m: { text: string }) => m.text).join('\n')).toContain(`Webhook request to ${rx.url} failed with code 500: Internal Server Error`);
  });

  it('SIGTERM with a batch in flight and a backlog pending: the shutdown flush delivers every event within --stop-timeout', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => ({ status: 200, delayMs: 400 });
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 300\nseed = 5\n\n[webhook.ops]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "5s"\n`);
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--stop-timeout', '15000', '--config', cfg]);
    // one request answered, the next in flight, events piling up behind it (throttle 5 s)
    await waitFor(() => rx!.posts.length >= 2 && rx!.posts.at(-1)!.answered === 200, 20_000, 'a second batch on the wire');
    await waitFor(() => statusLines(run.stdout()).some((s) => s.webhooks?.[0]?.pending > 20), 10_000, 'a backlog');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const l = final.webhooks[0];
    expect(l.received).toBeGreaterThan(20);
    expect(l).toMatchObject({ state: 'stopped', dropped: 0, discarded: 0, pending: 0 });
    expect(l.delivered).toBe(l.received);
    expect(rx.events()).toHaveLength(l.received);
  });

  it('SIGTERM with the receiver hanging: every pending event is reported as dropped within --stop-timeout', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n === 1 ? 200 : 'hang');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 300\nseed = 5\n\n[webhook.ops]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "300ms"\ntimeout = "60s"\n`);
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--stop-timeout', '1000', '--config', cfg]);
    await waitFor(() => rx!.posts.length >= 2, 20_000, 'a hanging request in flight');
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const l = final.webhooks[0];
    expect(l.dropped).toBeGreaterThan(0);
    expect(l.received).toBe(l.delivered + l.discarded + l.dropped + l.pending);
    expect(l.pending).toBe(0);
    expect(final.messages.map((m: { text: string }) => m.text).join('\n')).toMatch(/\d+ events still pending at shutdown were not delivered/);
  });
});
