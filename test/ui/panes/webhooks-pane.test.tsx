import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import type { WebhookLedger } from '../../../src/sinks/webhook/ledger.js';
import { webhooksLines } from '../../../src/ui/panes/webhooks-pane.js';
import { staleBar } from '../../../src/ui/panes/webhook-lines.js';
import { duration, exact, rate } from '../../../src/ui/text/format.js';
import { stripSgr } from '../../../src/ui/text/styled.js';
import { loadTheme } from '../../../src/ui/theme.js';
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { waitFor } from '../../helpers/wait.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
let rx: WebhookReceiver | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  await rx?.close();
  s = rt = rx = undefined;
});

/** The webhooks pane's row for `id`, split into columns (under the pane's title, from its column). */
function paneRow(lines: string[], id: string): string[] {
  const title = lines.findIndex((l) => l.includes(' Webhooks '));
  const col = title >= 0 ? [...lines[title]!].indexOf('W') - 1 : 0;
  const row = lines
    .slice(title + 1)
    .map((l) => [...l].slice(col).join(''))
    .find((l) => new RegExp(`^\\s*\\d? ?${id}\\s`).test(l));
  if (!row) throw new Error(`no webhooks pane row for ${id} in:\n${lines.join('\n')}`);
  return row.trim().split(/\s+/);
}

function expectedRow(l: WebhookLedger, n: number): string[] {
  return [
    String(n),
    l.id,
    l.enabled ? l.state : 'off',
    rate(l.rate1s),
    l.lastStatus !== undefined ? String(l.lastStatus) : l.lastError ? 'ERR' : '—',
    l.lastLatencyMs !== undefined ? duration(l.lastLatencyMs) : '—',
    exact(l.pending),
  ];
}

/** One frame and one snapshot that agree on the row (a rate or latency may move in between). */
async function expectPaneRow(sc: Screen, r: Runtime, id: string, n: number): Promise<WebhookLedger> {
  const end = Date.now() + 3000;
  for (;;) {
    const l = r.snapshot().webhooks.find((w) => w.id === id)!;
    const got = paneRow(sc.lines(), id).slice(0, 7);
    const want = expectedRow(l, n);
    if (JSON.stringify(got) === JSON.stringify(want) || Date.now() > end) {
      expect(got).toEqual(want);
      return l;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
}

const hook = (url: string, extra = '') => `[webhook.ops]\nurl = "${url}"\nevents = ["*"]\nthrottle = "100ms"\n${extra}`;

describe('webhooks pane over a real runtime and a real receiver', () => {
  it('shows the failing then recovering webhook with the status store numbers, and its attempts', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n <= 2 ? 500 : 200);
    ({ rt } = await replayRuntime(hook(rx.url, 'discard-after = "36500d"\n')));
    const r = rt;
    s = screen(r, { cols: 100, rows: 40 });
    await waitFor(() => r.snapshot().webhooks[0]!.delivered === 50, 10_000, 'all 50 delivered after the failures');
    for (let i = 0; i < 3; i++) await s.press('\t'); // focus the webhooks pane: it gets the room for its attempts
    const text = await s.waitForFrame((t) => /ops: recent attempts/.test(t) && / 200 /.test(t), 'the ledger');
    const l = await expectPaneRow(s, r, 'ops', 3);
    expect(l).toMatchObject({ received: 50, delivered: 50, failedAttempts: 2, pending: 0 });
    // The attempts, newest first: the success, then the two failures with Stalwart's text.
    const attempts = text.split('\n').filter((x) => /^\s+\d\d:\d\d:\d\d +\d+ ev /.test(x));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts[0]).toMatch(/50 ev .* 200 .* #3/);
    expect(attempts[1]).toMatch(/ 500 .* #2 +Webhook request to http:\/\/127\.0\.0\.1:\d+\/hook/);
    expect(attempts[2]).toMatch(/ 500 .* #1 /);
  });

  it('the webhook\'s digit switches it off and on: delivery stops and resumes at the receiver', async () => {
    rx = await startWebhookReceiver();
    ({ rt } = await replayRuntime(hook(rx.url, 'discard-after = "36500d"\n')));
    const r = rt;
    s = screen(r, { cols: 100, rows: 30 });
    await waitFor(() => rx!.events().length === 50, 10_000, 'the fixture delivered');
    await s.press('3');
    expect(r.snapshot().webhooks[0]).toMatchObject({ enabled: false, state: 'disabled' });
    await s.waitForFrame((t) => paneRow(t.split('\n'), 'ops')[2] === 'off', 'the row says off');
    r.collector.ingest({ type: 'auth.success', data: { accountName: 'while-off' } });
    await r.idle();
    expect(r.snapshot().webhooks[0]).toMatchObject({ skipped: 1, received: 50 });
    await s.press('3');
    r.collector.ingest({ type: 'auth.success', data: { accountName: 'back-on' } });
    await waitFor(() => rx!.events().length === 51, 5000, 'delivery resumed');
    expect(rx.events().at(-1)!.data).toEqual({ accountName: 'back-on' });
    await expectPaneRow(s, r, 'ops', 3);
  });

  it('Enter opens the detail view: full error, last request headers with secrets masked, body excerpt', async () => {
    rx = await startWebhookReceiver({ key: 'sig-key-123' });
    rx.answer = (n) => (n === 1 ? 503 : 200);
    ({ rt } = await replayRuntime(hook(rx.url, 'discard-after = "36500d"\nsignature-key = "sig-key-123"\nauth.username = "admin"\nauth.secret = "hunter2-hunter2"\nheaders = ["X-Api-Key: abcdef123456"]\n')));
    const r = rt;
    s = screen(r, { cols: 120, rows: 60 });
    await waitFor(() => r.snapshot().webhooks[0]!.failedAttempts >= 1, 10_000, 'a failed attempt');
    await s.press('\t');
    await s.press('\t');
    await s.press('\t');
    await s.press('\r');
    const text = await s.waitForFrame((t) => t.includes('Webhook ops') && t.includes('Last request'), 'the detail view');
    expect(text).toContain(`Webhook request to ${rx.url} failed with code 503: Service Unavailable`);
    expect(text).toMatch(/authorization +Basic [A-Za-z0-9]{2}\*\*\*\*/);
    expect(text).toMatch(/x-api-key +ab\*\*\*\*/);
    expect(text).toMatch(/x-signature +[A-Za-z0-9+/]{2}\*\*\*\*/);
    expect(text).toMatch(/content-type +application\/json/);
    expect(text).toMatch(/body +\{"events":\[\{"id":"\d+/);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abcdef123456');
    expect(text).not.toContain(Buffer.from('admin:hunter2-hunter2').toString('base64'));
  });
});

describe('webhooks pane lines', () => {
  const theme = loadTheme('mono', {});
  const now = Date.UTC(2025, 5, 15, 18, 0, 10);
  const ledger: WebhookLedger = {
    id: 'ops', url: 'https://h/x', enabled: true, state: 'retrying', throttleMs: 1000, timeoutMs: 30_000, discardAfterMs: 300_000, queueSize: 32768,
    signed: true, auth: 'basic', received: 130, skipped: 0, delivered: 7, discarded: 3, dropped: 0, pending: 120, inFlight: 0,
    oldestPendingAgeMs: 150_000, nextAttemptAt: now + 2000, attempts: 3, failedAttempts: 2, consecutiveFailures: 2, lastStatus: undefined,
    lastLatencyMs: 3, lastError: { message: 'Webhook request to https://h/x failed: error sending request for url (https://h/x): connection refused', at: now - 1000 },
    rate1s: 0, rate10s: 0.7,
    recent: [
      { at: now - 1000, events: 120, bytes: 30_000, error: 'Webhook request to https://h/x failed: error sending request for url (https://h/x): connection refused', latencyMs: 3, attempt: 2, nextAttemptAt: now + 2000 },
      { at: now - 5000, events: 7, bytes: 1800, status: 200, latencyMs: 85, attempt: 1 },
    ],
  };

  it('a row with the stale bar and countdown, then the attempts, newest first', () => {
    const lines = webhooksLines({ configured: true, webhooks: [ledger], sinks: [], now, cursor: 0, focused: false, width: 160, height: 8, theme }).map(stripSgr);
    expect(lines[0]).toMatch(/^ Webhooks +1 webhook 1 retrying 120 pending ─+$/);
    expect(lines[1]).toMatch(/^ # webhook +state +ev\/s +http +latency +pending +oldest \/ discard +next +delivered +stale +dropped$/);
    expect(staleBar(150_000, 300_000)).toBe('▰▰▰▰▱▱▱▱');
    expect(lines[2]).toMatch(/^ {3}ops +retrying +0 +ERR +3ms +120 ▰▰▰▰▱▱▱▱ 2m30s\/5m00s in 2s +7 +3 +0$/);
    expect(lines[3]).toMatch(/^ {2}ops: recent attempts/);
    expect(lines[4]).toMatch(/^ {3}18:00:09 +120 ev +29\.3 KiB +ERR +3ms #2 +Webhook request to https:\/\/h\/x failed: .*connection refused$/);
    expect(lines[5]).toMatch(/^ {3}18:00:05 +7 ev +1\.8 KiB +200 +85ms #1 *$/);
  });

  it('beside the OTLP pane (under 78 columns) the row keeps status, pending, the stale bar and the countdown', () => {
    const lines = webhooksLines({ configured: true, webhooks: [ledger], sinks: [], now, cursor: 0, focused: false, width: 60, height: 4, theme }).map(stripSgr);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(lines.find((l) => /ops +retrying/.test(l))).toMatch(/ops +retrying +ERR +120 ▰▰▰▱▱ 2m30s\/5m00s in 2s/);
  });

  it('at 80 columns the row keeps the essentials', () => {
    const lines = webhooksLines({ configured: true, webhooks: [ledger], sinks: [], now, cursor: 0, focused: false, width: 80, height: 4, theme }).map(stripSgr);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines.find((l) => /ops +retrying/.test(l))).toMatch(/ERR +3ms +120 ▰▰▰▰▱▱▱▱ 2m30s\/5m00s in 2s/);
  });
});
