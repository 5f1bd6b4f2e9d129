import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { waitFor } from '../../helpers/wait.js';
import { balance, ERROR, event, makeDelivery, receivedNs } from './delivery-helpers.js';

let rx: WebhookReceiver | undefined;
afterEach(async () => {
  await rx?.close();
  rx = undefined;
});

describe('webhook delivery loop', () => {
  it('sends the first event at once, then the whole pending list per throttle window, in order', async () => {
    rx = await startWebhookReceiver();
    const { d } = makeDelivery(rx.url, { throttleMs: 300 });
    d.offer(event(1));
    await waitFor(() => rx!.accepted.length === 1, 5000, 'first post');
    for (let i = 2; i <= 5; i++) d.offer(event(i));
    await waitFor(() => rx!.accepted.length === 2, 5000, 'second post');
    expect(rx.posts.map((p) => p.json!.events.length)).toEqual([1, 4]);
    expect(receivedNs(rx.events())).toEqual([1, 2, 3, 4, 5]);
    await d.idle();
    const l = d.ledger(Date.now());
    expect(l).toMatchObject({ received: 5, delivered: 5, pending: 0, attempts: 2, failedAttempts: 0, state: 'ok', lastStatus: 200 });
    expect(l.recent.map((a) => [a.events, a.status, a.attempt])).toEqual([
      [4, 200, 1],
      [1, 200, 1],
    ]);
    expect(l.recent[0]!.at - l.recent[1]!.at).toBeGreaterThanOrEqual(300);
    expect(l.recent[0]!.bytes).toBe(rx.posts[1]!.body.length);
    expect(l.lastRequest!.bodyExcerpt).toBe(rx.posts[1]!.body.toString());
  });

  it('puts a failed batch back in front, retries it at the next window, raises Stalwart error text', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n <= 2 ? 500 : 200);
    const { d, raised } = makeDelivery(rx.url, { throttleMs: 100 });
    d.offer(event(1));
    d.offer(event(2));
    await waitFor(() => rx!.posts.length >= 1, 5000);
    d.offer(event(3));
    await waitFor(() => rx!.accepted.length >= 1 && d.depth === 0, 5000, 'recovery');
    expect(receivedNs(rx.events())).toEqual([1, 2, 3]);
    const errors = raised.filter((r) => r.type === 'telemetry.webhook-error');
    expect(errors.map((e) => e.data.details)).toEqual([
      `Webhook request to ${rx.url} failed with code 500: Internal Server Error`,
      `Webhook request to ${rx.url} failed with code 500: Internal Server Error`,
    ]);
    const l = d.ledger(Date.now());
    expect(l.recent.map((a) => [a.status, a.attempt])).toEqual([
      [200, 3],
      [500, 2],
      [500, 1],
    ]);
    expect(l.recent[2]!.nextAttemptAt).toBeGreaterThanOrEqual(l.recent[2]!.at + 100);
    expect(l).toMatchObject({ delivered: 3, failedAttempts: 2, consecutiveFailures: 0 });
    expect(balance(d)).toEqual({ received: 3, sum: 3 });
  });

  it('drops stale events on receipt and reports them with total', async () => {
    rx = await startWebhookReceiver();
    const { d, raised } = makeDelivery(rx.url, { discardAfterMs: 60_000 });
    const old = Date.now() - 61_000;
    d.offer(event(1, { createdAt: old }));
    d.offer(event(2, { createdAt: old }));
    d.offer(event(3));
    await waitFor(() => raised.length > 0 && d.depth === 0, 5000);
    expect(raised).toEqual([{ type: 'telemetry.webhook-error', data: { details: 'Discarded stale events', total: 2 } }]);
    expect(receivedNs(rx.events())).toEqual([3]);
    expect(d.ledger(Date.now())).toMatchObject({ received: 3, discarded: 2, delivered: 1 });
  });

  it('sends what waited as soon as an in-flight request returns (no new event needed)', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n === 1 ? { status: 200, delayMs: 400 } : 200);
    const { d } = makeDelivery(rx.url, { throttleMs: 50 });
    d.offer(event(1));
    await waitFor(() => rx!.posts.length === 1, 5000);
    d.offer(event(2));
    await waitFor(() => rx!.accepted.length === 2, 5000, 'second post without a new event');
    expect(receivedNs(rx.events())).toEqual([1, 2]);
  });

  it('while the receiver fails, holds at most queue-size events, shedding the oldest non-errors as dropped', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 503;
    const { d } = makeDelivery(rx.url, { throttleMs: 10_000, queueSize: 32 });
    d.offer(event(0));
    await waitFor(() => d.consecutiveFailures === 1, 5000);
    d.offer(event(1, { type: ERROR, level: 'error' }));
    for (let i = 2; i < 100; i++) d.offer(event(i));
    const l = d.ledger(Date.now());
    expect(l.pending).toBeLessThanOrEqual(32);
    expect(l.dropped).toBeGreaterThan(0);
    expect(d.full).toBe(false);
    expect(balance(d)).toEqual({ received: 100, sum: 100 });
    rx.answer = () => 200;
    d.flushNow();
    await waitFor(() => d.depth === 0, 5000);
    const got = receivedNs(rx.events());
    expect(got).toContain(1); // the error event was kept
    expect(got).toContain(99); // the newest were kept
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(d.ledger(Date.now()).delivered + d.ledger(Date.now()).dropped).toBe(100);
  });

  it('signs every POST right: sends in a row, a retry with new events behind it, after shedding', async () => {
    rx = await startWebhookReceiver({ key: 'k€y' });
    let fail = false;
    rx.answer = () => (fail ? 503 : 200);
    const { d } = makeDelivery(rx.url, { throttleMs: 1, queueSize: 300, signatureKey: 'k€y' });
    let n = 0;
    const burst = async (count: number) => {
      for (let i = 0; i < count; i++) d.offer(event(n++, { level: i % 50 === 0 ? 'error' : 'info' }));
      await new Promise((r) => setImmediate(r));
    };
    for (let i = 0; i < 5; i++) await burst(200);
    await d.idle();
    fail = true;
    await burst(100);
    await waitFor(() => d.consecutiveFailures >= 1, 5000, 'a failure');
    await burst(400); // beyond queue-size while failing: shed
    fail = false;
    d.flushNow();
    await waitFor(() => d.depth === 0, 5000, 'recovery');
    await burst(250);
    await d.idle();
    expect(rx.posts.length).toBeGreaterThan(4);
    expect(rx.posts.map((p) => p.signatureValid)).toEqual(rx.posts.map(() => true));
    expect(d.ledger(Date.now()).dropped).toBeGreaterThan(0);
    expect(balance(d)).toEqual({ received: n, sum: n });
  });

  it('holds the sources back while the receiver answers but is slower, unless lossy', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => ({ status: 200, delayMs: 300 });
    const { d } = makeDelivery(rx.url, { throttleMs: 10, queueSize: 5 });
    let full = false;
    for (let i = 0; i < 10; i++) full = d.offer(event(i)) || full;
    expect(full).toBe(true);
    expect(d.ledger(Date.now()).dropped).toBe(0);
    await waitFor(() => d.depth === 0, 5000);
    expect(receivedNs(rx.events())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const lossy = makeDelivery(rx.url, { throttleMs: 10_000, queueSize: 5, lossy: true });
    let anyFull = false;
    for (let i = 0; i < 20; i++) anyFull = lossy.d.offer(event(i)) || anyFull;
    expect(anyFull).toBe(false);
    expect(lossy.d.ledger(Date.now()).dropped).toBeGreaterThan(0);
    expect(balance(lossy.d)).toEqual({ received: 20, sum: 20 });
    await lossy.d.stop(Date.now() + 3000);
  });

  it('flush now sends the pending list inside the throttle window', async () => {
    rx = await startWebhookReceiver();
    const { d } = makeDelivery(rx.url, { throttleMs: 60_000 });
    d.offer(event(1));
    await waitFor(() => rx!.accepted.length === 1, 5000);
    d.offer(event(2));
    const l = d.ledger(Date.now());
    expect(l.nextAttemptAt).toBeGreaterThan(Date.now() + 50_000);
    d.flushNow();
    await waitFor(() => rx!.accepted.length === 2, 5000);
  });

  it('a switched-off webhook skips new events and says so in its state', async () => {
    rx = await startWebhookReceiver();
    const { d } = makeDelivery(rx.url);
    d.setEnabled(false);
    d.offer(event(1));
    expect(d.ledger(Date.now())).toMatchObject({ state: 'disabled', skipped: 1, received: 0 });
    d.setEnabled(true);
    d.offer(event(2));
    await waitFor(() => rx!.accepted.length === 1, 5000);
    expect(receivedNs(rx.events())).toEqual([2]);
  });
});
