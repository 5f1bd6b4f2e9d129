import { describe, expect, it } from 'vitest';
import { parsePattern, type Pattern } from '../../src/catalogue/patterns.js';
import { isEvent } from '../../src/catalogue/index.js';
import { createMetrics } from '../../src/metrics/store.js';
import { Collector } from '../../src/runtime/collector.js';
import { makeFilter } from '../../src/runtime/filter.js';
import { Subscriber } from '../../src/runtime/subscriber.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const pat = (t: string) => parsePattern(t, isEvent) as Pattern;

describe('collector', () => {
  it('stamps effective level, catalogue text, sequence and span keys', () => {
    const c = new Collector(new Map([['smtp.ehlo', 'warn']]), 100, () => 1_750_000_000_000);
    const seen: string[] = [];
    c.observe((e) => seen.push(`${e.seq}:${e.type}:${e.level}`));
    c.ingest({ type: 'smtp.connection-start', spanId: '7', data: { listenerId: 'smtp', remoteIp: '192.0.2.1' } });
    c.ingest({ type: 'smtp.ehlo', spanId: '7', data: { domain: 'mx.example.org' }, createdAt: 5 });
    c.ingest({ type: 'smtp.connection-end', spanId: '7', data: { elapsed: 12 } });
    c.ingest({ type: 'smtp.ehlo', spanId: '7', data: {} });
    const h = c.history.toArray();
    expect(seen).toEqual(['1:smtp.connection-start:debug', '2:smtp.ehlo:warn', '3:smtp.connection-end:debug', '4:smtp.ehlo:warn']);
    expect(h[0]!.span).toBeUndefined();
    expect(h[1]).toMatchObject({ createdAt: 5, text: 'SMTP EHLO command', span: { listenerId: 'smtp', remoteIp: '192.0.2.1' } });
    expect(h[2]!.span).toEqual({ listenerId: 'smtp', remoteIp: '192.0.2.1' });
    expect(h[3]!.span).toBeUndefined(); // the span ended
    expect(h[0]!.createdAt).toBe(1_750_000_000_000);
  });

  it('tracing.level "disable" takes the event from tracers only: metrics, history and webhooks still get it', async () => {
    const c = new Collector(new Map([['queue.queue-message', 'disable']]), 10, Date.now);
    const metrics = createMetrics({ disabledEvents: [] });
    c.observe((e) => metrics.observe(e));
    const hooks = { onError() {}, onDrain() {}, now: Date.now };
    const opts = { lossy: false, queueSize: 10, batchSize: 10, throttleMs: 0, discardAfterMs: 0 };
    const tracer = new RecordingSink('t');
    const hook = new RecordingSink('w');
    const all = { policy: 'exclude' as const, patterns: [] };
    const st = new Subscriber(tracer, { id: 't_t', ...opts }, makeFilter(all, 'trace'), 0, hooks);
    const sw = new Subscriber(hook, { id: 'w_w', ...opts }, makeFilter(all, 'trace'), 0, hooks);
    c.subscribers = [st, sw];
    await st.start();
    await sw.start();
    c.ingest({ type: 'queue.queue-message', data: { size: 1000 } });
    c.ingest({ type: 'no.such-event', data: {}, level: 'error', text: 'custom' });
    await st.idle();
    await sw.idle();
    expect(c.stats).toEqual({ events: 2, unknownTypes: 1, disabled: 1 });
    expect(tracer.events.map((e) => e.type)).toEqual(['no.such-event']);
    expect(hook.events.map((e) => `${e.type}:${e.level}`)).toEqual(['queue.queue-message:info', 'no.such-event:error']);
    expect(c.history.toArray().map((e) => e.type)).toEqual(['queue.queue-message', 'no.such-event']);
    const snap = metrics.snapshot();
    expect(snap.counters).toEqual([{ name: 'queue.queue-message', description: 'Queued message for delivery', value: 1 }]);
    expect(snap.gauges.find((g) => g.name === 'queue.count')?.value).toBe(1);
    expect(snap.histograms.map((h) => [h.name, h.count, h.sum])).toEqual([['message.size', 1, 1000]]);
  });

  it('fans out only to subscribers whose filter selects the event, and reports backpressure', async () => {
    const c = new Collector(new Map(), 10, Date.now);
    const hooks = { onError() {}, onDrain() {}, now: Date.now };
    const opts = { lossy: false, queueSize: 2, batchSize: 10, throttleMs: 0, discardAfterMs: 0 };
    const a = new RecordingSink('a');
    const b = new RecordingSink('b');
    a.gate();
    const sa = new Subscriber(a, { id: 't_a', ...opts }, makeFilter({ policy: 'include', patterns: [pat('auth.*')] }, 'trace'), 0, hooks);
    const sb = new Subscriber(b, { id: 't_b', ...opts }, makeFilter({ policy: 'exclude', patterns: [] }, 'warn'), 0, hooks);
    c.subscribers = [sa, sb];
    await sa.start();
    await sb.start();
    expect(c.ingest({ type: 'auth.success', data: {} })).toBe(true); // in flight at a
    await new Promise((r) => setTimeout(r, 10));
    expect(c.ingest({ type: 'auth.failed', data: {} })).toBe(true);
    expect(c.ingest({ type: 'auth.error', data: {} })).toBe(false); // a's queue is at 2
    expect(c.full).toBe(true);
    a.open();
    await sa.idle();
    await sb.idle();
    expect(c.full).toBe(false);
    expect(a.events.map((e) => e.type)).toEqual(['auth.success', 'auth.failed', 'auth.error']);
    expect(b.events.map((e) => e.type)).toEqual(['auth.error']); // auth.failed is debug, success info: below warn
  });
});
