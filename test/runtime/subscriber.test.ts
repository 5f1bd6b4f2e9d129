import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../src/runtime/event.js';
import { Subscriber } from '../../src/runtime/subscriber.js';
import type { SubscriberOptions } from '../../src/runtime/types.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import { waitFor } from '../helpers/wait.js';

function ev(seq: number, level: TelemetryEvent['level'] = 'info', createdAt = Date.now()): TelemetryEvent {
  return { seq, type: 'smtp.ehlo', level, createdAt, data: { n: seq }, text: 'EHLO' };
}

function make(sink: RecordingSink, o: Partial<SubscriberOptions> = {}) {
  const errors: string[] = [];
  let drains = 0;
  const sub = new Subscriber(
    sink,
    { id: 't_' + sink.id, lossy: false, queueSize: 10, batchSize: 4, throttleMs: 0, discardAfterMs: 0, ...o },
    () => true,
    1,
    { onError: (_s, m) => errors.push(m), onDrain: () => drains++, now: Date.now },
  );
  return { sub, errors, drains: () => drains };
}

describe('subscriber', () => {
  it('delivers in batches of at most batchSize and counts every event', async () => {
    const sink = new RecordingSink('a');
    const { sub } = make(sink);
    await sub.start();
    for (let i = 1; i <= 9; i++) sub.offer(ev(i));
    await sub.idle();
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...sink.batches.map((b) => b.length))).toBeLessThanOrEqual(4);
    const st = sub.status(Date.now());
    expect(st).toMatchObject({ received: 9, written: 9, droppedIntentional: 0, droppedError: 0, skipped: 0, queueDepth: 0, state: 'ok' });
    await sub.stop(Date.now() + 1000);
    expect(sub.status(Date.now()).state).toBe('stopped');
  });

  it('non-lossy: reports full at capacity and never drops', async () => {
    const sink = new RecordingSink('a');
    sink.gate();
    const { sub } = make(sink, { queueSize: 10 });
    await sub.start();
    const full: boolean[] = [];
    for (let i = 1; i <= 4; i++) full.push(sub.offer(ev(i)));
    // the first batch of 4 is taken and held in flight by the gated sink: it no longer counts
    await waitFor(() => sub.depth === 0, 5000, 'the first batch in flight');
    for (let i = 5; i <= 25; i++) full.push(sub.offer(ev(i)));
    // so the queue of 10 fills on offer 4 + 10 (index 13), and every later offer reports full
    expect(full.indexOf(true)).toBe(13);
    expect(full).toEqual([...Array<boolean>(13).fill(false), ...Array<boolean>(12).fill(true)]);
    expect(sub.depth).toBe(21);
    expect(sink.batches).toHaveLength(0);
    expect(sub.full).toBe(true);
    sink.open();
    await sub.idle();
    expect(sink.events).toHaveLength(25);
    expect(sub.status(Date.now()).droppedIntentional).toBe(0);
    expect(sub.full).toBe(false);
  });

  it('lossy (docs/stalwart.md §7): past capacity keeps only error events, then cuts to capacity', async () => {
    const sink = new RecordingSink('a');
    sink.gate();
    const { sub } = make(sink, { lossy: true, queueSize: 10, batchSize: 100 });
    await sub.start();
    sub.offer(ev(1)); // taken into the in-flight batch
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 2; i <= 11; i++) sub.offer(ev(i)); // fills the queue to 10
    sub.offer(ev(12, 'error')); // 11 > 10: keep only errors -> [12]
    for (let i = 13; i <= 25; i++) sub.offer(ev(i, i % 2 ? 'error' : 'warn'));
    sink.open();
    await sub.idle();
    const st = sub.status(Date.now());
    expect(st.received).toBe(25);
    // 12 sheds 2..11 (10 non-errors); 22 sheds 14, 16, 18, 20, 22 (5 warnings)
    expect(st.droppedIntentional).toBe(15);
    expect(st.written).toBe(10);
    expect(sink.events.map((e) => e.seq)).toEqual([1, 12, 13, 15, 17, 19, 21, 23, 24, 25]);
    expect(sub.full).toBe(false);
  });

  it('lossy: a flood of error events is cut to capacity, keeping the oldest', async () => {
    const sink = new RecordingSink('a');
    sink.gate();
    const { sub } = make(sink, { lossy: true, queueSize: 5, batchSize: 100 });
    await sub.start();
    sub.offer(ev(1, 'error'));
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 2; i <= 20; i++) sub.offer(ev(i, 'error'));
    expect(sub.depth).toBe(5);
    sink.open();
    await sub.idle();
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sub.status(Date.now()).droppedIntentional).toBe(14);
  });

  it('disabled: events are counted as skipped, not queued; enabling resumes delivery', async () => {
    const sink = new RecordingSink('a');
    const { sub } = make(sink);
    await sub.start();
    sub.setEnabled(false);
    for (let i = 1; i <= 5; i++) sub.offer(ev(i));
    expect(sub.status(Date.now())).toMatchObject({ enabled: false, state: 'disabled', skipped: 5, received: 0, queueDepth: 0 });
    sub.setEnabled(true);
    sub.offer(ev(6));
    await sub.idle();
    expect(sink.events.map((e) => e.seq)).toEqual([6]);
    expect(sub.status(Date.now())).toMatchObject({ enabled: true, state: 'ok', skipped: 5, received: 1, written: 1 });
  });

  it('retryable failures keep the batch and retry; permanent ones drop and count it', async () => {
    const sink = new RecordingSink('a');
    const { sub, errors } = make(sink, { batchSize: 10 });
    await sub.start();
    sink.failNext(2, true);
    for (let i = 1; i <= 3; i++) sub.offer(ev(i));
    await sub.idle();
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(errors).toEqual(['refused batch of 3', 'refused batch of 3']);
    let st = sub.status(Date.now());
    expect(st).toMatchObject({ written: 3, failures: 2, droppedError: 0, state: 'ok' });
    expect(st.lastError?.message).toBe('refused batch of 3');

    sink.failNext(1, false);
    sub.offer(ev(4));
    await waitFor(() => sub.status(Date.now()).droppedError === 1, 5000);
    st = sub.status(Date.now());
    expect(st.state).toBe('failing');
    sub.offer(ev(5));
    await sub.idle();
    expect(sub.status(Date.now())).toMatchObject({ written: 4, droppedError: 1, state: 'ok' });
  });

  it('throttle spaces writes; flushNow sends at once', async () => {
    const sink = new RecordingSink('a', 'webhook');
    const { sub } = make(sink, { throttleMs: 60_000 });
    await sub.start();
    sub.offer(ev(1));
    await waitFor(() => sink.batches.length === 1, 5000);
    sub.offer(ev(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.batches).toHaveLength(1);
    sub.flushNow();
    await waitFor(() => sink.batches.length === 2, 5000);
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('discard-after drops stale events as intentional drops', async () => {
    const sink = new RecordingSink('a', 'webhook');
    const { sub } = make(sink, { discardAfterMs: 1000 });
    await sub.start();
    sub.offer(ev(1, 'info', Date.now() - 5000));
    sub.offer(ev(2));
    await sub.idle();
    expect(sink.events.map((e) => e.seq)).toEqual([2]);
    expect(sub.status(Date.now()).droppedIntentional).toBe(1);
  });

  it('stop delivers what is queued before closing; what a dead sink still holds at the deadline is counted', async () => {
    const sink = new RecordingSink('a');
    const { sub } = make(sink);
    await sub.start();
    for (let i = 1; i <= 8; i++) sub.offer(ev(i));
    await sub.stop(Date.now() + 2000);
    expect(sink.events).toHaveLength(8);

    const dead = new RecordingSink('b');
    const d = make(dead, { batchSize: 100 });
    await d.sub.start();
    dead.failNext(1000, true);
    for (let i = 1; i <= 5; i++) d.sub.offer(ev(i));
    await d.sub.stop(Date.now() + 200);
    expect(d.sub.status(Date.now())).toMatchObject({ written: 0, droppedError: 5, state: 'stopped' });
  });
});
