import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type Answer, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { waitFor } from '../../helpers/wait.js';
import { balance, event, makeDelivery, receivedNs } from './delivery-helpers.js';

let rx: WebhookReceiver | undefined;
afterEach(async () => {
  await rx?.close();
  rx = undefined;
});

/** Two failed attempts with `fault`, then the receiver recovers: all events arrive once, in order. */
async function faultThenRecover(fault: Answer, match: RegExp, over = {}) {
  rx = await startWebhookReceiver();
  rx.answer = (n) => (n <= 2 ? fault : 200);
  const { d, raised } = makeDelivery(rx.url, { throttleMs: 50, timeoutMs: 300, ...over });
  for (let i = 1; i <= 3; i++) d.offer(event(i));
  await waitFor(() => d.consecutiveFailures >= 1, 5000, 'first failure');
  expect(balance(d)).toEqual({ received: 3, sum: 3 });
  for (let i = 4; i <= 6; i++) d.offer(event(i));
  await waitFor(() => d.depth === 0 && rx!.accepted.length > 0, 10_000, 'recovery');
  expect(receivedNs(rx.events())).toEqual([1, 2, 3, 4, 5, 6]);
  const l = d.ledger(Date.now());
  expect(l).toMatchObject({ received: 6, delivered: 6, discarded: 0, dropped: 0, pending: 0, failedAttempts: 2, consecutiveFailures: 0 });
  expect(l.recent[1]!.error).toMatch(match);
  expect(l.recent.map((a) => a.attempt)).toEqual([3, 2, 1]);
  const errors = raised.filter((r) => r.type === 'telemetry.webhook-error').map((r) => r.data.details);
  expect(errors).toHaveLength(2);
  // The event has Stalwart's text: the ledger's, without the cause reqwest's error does not show.
  const stalwart = typeof fault === 'number' ? l.recent[1]!.error : `Webhook request to ${rx.url} failed: error sending request for url (${rx.url})`;
  for (const e of errors) expect(e).toBe(stalwart);
  return l;
}

describe('webhook faults, each with counts that add up', () => {
  it('a receiver that hangs past timeout', async () => {
    const l = await faultThenRecover('hang', /failed: error sending request for url \(.*\): operation timed out$/);
    expect(l.recent[1]!.latencyMs).toBeGreaterThanOrEqual(299);
  });

  it('a receiver that resets connections', async () => {
    await faultThenRecover('reset', /failed: error sending request for url \(.*\): connection reset$/);
  });

  it('a receiver that answers 307/308: followed, the batch arrives once at the new place', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (_n, p) => (p.path === '/hook' ? { status: p.n % 2 ? 307 : 308, headers: { location: '/v2' } } : 200);
    const { d } = makeDelivery(rx.url, { throttleMs: 50 });
    for (let i = 1; i <= 3; i++) d.offer(event(i));
    await waitFor(() => d.depth === 0 && rx!.accepted.length > 0, 5000, 'delivered');
    for (let i = 4; i <= 6; i++) d.offer(event(i));
    await waitFor(() => d.depth === 0 && rx!.accepted.length > 1, 5000, 'delivered');
    expect(receivedNs(rx.events())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rx.accepted.every((p) => p.method === 'POST' && p.path === '/v2')).toBe(true);
    expect(d.ledger(Date.now())).toMatchObject({ received: 6, delivered: 6, discarded: 0, dropped: 0, pending: 0, failedAttempts: 0 });
  });

  it('a receiver that answers 301/302/303: the GET that follows is what succeeds, so the batch counts as delivered (Stalwart loses the body the same way)', async () => {
    rx = await startWebhookReceiver();
    const codes = [301, 302, 303];
    rx.answer = (_n, p) => (p.method === 'POST' ? { status: codes[rx!.posts.filter((q) => q.method === 'POST').length - 1]!, headers: { location: '/moved' } } : 200);
    const { d, raised } = makeDelivery(rx.url, { throttleMs: 50 });
    for (let b = 0; b < 3; b++) {
      d.offer(event(b + 1));
      await waitFor(() => d.depth === 0 && d.ledger(Date.now()).delivered === b + 1, 5000, `batch ${b + 1}`);
    }
    expect(rx.posts.map((p) => [p.method, p.path, p.answered, p.body.length > 0])).toEqual([
      ['POST', '/hook', 301, true], ['GET', '/moved', 200, false],
      ['POST', '/hook', 302, true], ['GET', '/moved', 200, false],
      ['POST', '/hook', 303, true], ['GET', '/moved', 200, false],
    ]);
    expect(d.ledger(Date.now())).toMatchObject({ received: 3, delivered: 3, dropped: 0, pending: 0, failedAttempts: 0 });
    expect(raised).toHaveLength(0);
  });

  it('a receiver that redirects in a loop: a failure with reqwest\'s text, retried, then delivered once', async () => {
    rx = await startWebhookReceiver();
    let looping = true;
    // 307 keeps the POST and its body on every hop, so a hop answered after the receiver is
    // fixed still carries the events (a 302 hop would be a GET without them).
    rx.answer = (n) => (looping ? { status: 307, headers: { location: `/loop${n}` } } : 200);
    const { d, raised } = makeDelivery(rx.url, { throttleMs: 50 });
    for (let i = 1; i <= 3; i++) d.offer(event(i));
    await waitFor(() => d.consecutiveFailures >= 2, 10_000, 'two failed attempts');
    expect(balance(d)).toEqual({ received: 3, sum: 3 });
    looping = false;
    await waitFor(() => d.depth === 0 && rx!.accepted.some((p) => p.method === 'POST'), 10_000, 'recovery');
    expect(receivedNs(rx.events())).toEqual([1, 2, 3]);
    const l = d.ledger(Date.now());
    expect(l).toMatchObject({ received: 3, delivered: 3, discarded: 0, dropped: 0, pending: 0, consecutiveFailures: 0 });
    expect(l.failedAttempts).toBeGreaterThanOrEqual(2);
    expect(l.recent[1]!.error).toMatch(/^Webhook request to .* failed: error following redirect for url \(http:\/\/127\.0\.0\.1:\d+\/loop\d+\)$/);
    expect(raised.filter((r) => r.type === 'telemetry.webhook-error').length).toBe(l.failedAttempts);
  });

  it('a receiver that answers 413', async () => {
    const l = await faultThenRecover(413, /failed with code 413: Payload Too Large$/);
    expect(l.recent[1]!.status).toBe(413);
  });

  it('a receiver that refuses connections, then comes back on the same port', async () => {
    rx = await startWebhookReceiver();
    await rx.stop();
    const { d, raised } = makeDelivery(rx.url, { throttleMs: 50 });
    for (let i = 1; i <= 4; i++) d.offer(event(i));
    await waitFor(() => d.consecutiveFailures >= 2, 5000);
    expect(d.ledger(Date.now()).recent[0]!.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url}): connection refused`);
    expect(raised.some((r) => r.data.details === `Webhook request to ${rx!.url} failed: error sending request for url (${rx!.url})`)).toBe(true);
    await rx.start();
    await waitFor(() => d.depth === 0, 5000, 'delivered after the receiver came back');
    expect(receivedNs(rx.events())).toEqual([1, 2, 3, 4]);
    expect(balance(d)).toEqual({ received: 4, sum: 4 });
  });

  it('a receiver down longer than discard-after: stale events discarded and counted, error raised, then delivery resumes', async () => {
    rx = await startWebhookReceiver();
    await rx.stop();
    const { d, raised } = makeDelivery(rx.url, { throttleMs: 200, discardAfterMs: 1000 });
    for (let i = 1; i <= 5; i++) d.offer(event(i));
    await waitFor(() => d.ledger(Date.now()).discarded === 5, 10_000, 'stale events discarded');
    const l = d.ledger(Date.now());
    expect(l.pending).toBe(0);
    expect(l.failedAttempts).toBeGreaterThanOrEqual(2);
    await waitFor(() => raised.some((r) => r.data.details === 'Discarded stale events'), 2000);
    const stale = raised.filter((r) => r.data.details === 'Discarded stale events');
    expect(stale.reduce((n, r) => n + Number(r.data.total), 0)).toBe(5);
    await rx.start();
    for (let i = 6; i <= 8; i++) d.offer(event(i));
    await waitFor(() => d.depth === 0 && rx!.accepted.length > 0, 5000, 'resumed');
    expect(receivedNs(rx.events())).toEqual([6, 7, 8]);
    expect(d.ledger(Date.now())).toMatchObject({ received: 8, delivered: 3, discarded: 5, dropped: 0, pending: 0 });
  });
});

describe('webhook shutdown', () => {
  it('delivers a batch in flight and the backlog behind it before the deadline', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => ({ status: 200, delayMs: 200 });
    const { d } = makeDelivery(rx.url, { throttleMs: 60_000 });
    d.offer(event(1));
    await waitFor(() => rx!.posts.length === 1, 5000);
    for (let i = 2; i <= 50; i++) d.offer(event(i));
    await d.stop(Date.now() + 5000);
    expect(receivedNs(rx.events())).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(d.ledger(Date.now())).toMatchObject({ state: 'stopped', delivered: 50, dropped: 0, pending: 0 });
  });

  it('reports every event it could not deliver by the deadline as dropped', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 'hang';
    const { d, messages } = makeDelivery(rx.url, { throttleMs: 60_000, timeoutMs: 30_000 });
    d.offer(event(1));
    await waitFor(() => rx!.posts.length === 1, 5000);
    for (let i = 2; i <= 10; i++) d.offer(event(i));
    const t0 = Date.now();
    await d.stop(t0 + 400);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(d.ledger(Date.now())).toMatchObject({ state: 'stopped', delivered: 0, dropped: 10, pending: 0, received: 10 });
    expect(messages.at(-1)).toMatch(/10 events still pending at shutdown/);
  });
});
