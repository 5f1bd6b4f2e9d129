import { describe, expect, it } from 'vitest';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { buildSpan } from '../../../src/sinks/otel/records.js';
import { SpanTracker, type SpanLimits } from '../../../src/sinks/otel/spans.js';
import { ev, START_KEYS, T0 } from '../../helpers/otel-events.js';

// The span tracker's bounds on their own (the wire is covered by index.test.ts).

const limits = (over: Partial<SpanLimits>): SpanLimits => ({ maxEventsPerSpan: 2048, maxTrackedEvents: 1 << 17, maxOpenSpans: 1 << 14, maxAgeMs: 86_400_000, ...over });
const start = (id: string, at = T0) => ev('smtp.connection-start', at, START_KEYS, id);
const ehlo = (id: string, at = T0) => ev('smtp.ehlo', at, { domain: 'x' }, id, START_KEYS);
const end = (id: string, at = T0) => ev('smtp.connection-end', at, { elapsed: 5 }, id, START_KEYS);

const CTX = { resource: resourceFromAttributes({}), scope: { name: 'stalwart' } };

describe('span tracker (Stalwart: the events between start and end, plus the end)', () => {
  it('start, end → no span', () => {
    const t = new SpanTracker();
    expect(t.observe(start('1'))).toBeUndefined();
    expect(t.observe(end('1'))).toBeUndefined();
    expect([t.openSpans, t.trackedEvents]).toEqual([0, 0]);
  });

  it('start, delivery.connect, end → one span whose events are [connect, end]', () => {
    const t = new SpanTracker();
    const keys = { queueId: 5, from: 'a@example.org' };
    t.observe(ev('delivery.attempt-start', T0, keys, '4'));
    t.observe(ev('delivery.connect', T0 + 1000, { hostname: 'mx.example.org' }, '4', keys, T0));
    const done = t.observe(ev('delivery.attempt-end', T0 + 2000, { elapsed: 2000 }, '4', keys, T0))!;
    expect(done.events.map((e) => e.type)).toEqual(['delivery.connect', 'delivery.attempt-end']);
    const span = buildSpan(done.spanHex, done.events, done.droppedEvents, CTX);
    expect(span.name).toBe('delivery.attempt-start');
    expect(span.attributes).toEqual({ queueId: 5, from: 'a@example.org' });
    expect(span.startTime).toEqual([Math.floor(T0 / 1000), 0]);
    expect(span.events.map((e) => e.name)).toEqual(['delivery.connect', 'delivery.attempt-end']);
  });

  it('delivery.connect, end without the start (not selected by this tracer) → the span is still built from the collector\'s span keys', () => {
    const t = new SpanTracker();
    const keys = { queueId: 6 };
    t.observe(ev('delivery.connect', T0 + 1000, { hostname: 'mx' }, '9', keys, T0));
    const done = t.observe(ev('delivery.attempt-end', T0 + 2000, { elapsed: 2 }, '9', keys, T0))!;
    const span = buildSpan(done.spanHex, done.events, done.droppedEvents, CTX);
    expect([span.name, span.attributes, span.startTime[0]]).toEqual(['delivery.attempt-start', { queueId: 6 }, Math.floor(T0 / 1000)]);
    expect(span.events.map((e) => e.name)).toEqual(['delivery.connect', 'delivery.attempt-end']);
  });

  it('holds at most maxEventsPerSpan events between start and end, counts the rest, always adds the end event', () => {
    const t = new SpanTracker(limits({ maxEventsPerSpan: 3 }));
    t.observe(start('1'));
    for (let i = 0; i < 5; i++) expect(t.observe(ehlo('1'))).toBeUndefined();
    expect(t.trackedEvents).toBe(3);
    const done = t.observe(end('1'))!;
    expect(done.events.map((e) => e.type)).toEqual(['smtp.ehlo', 'smtp.ehlo', 'smtp.ehlo', 'smtp.connection-end']);
    expect(done.droppedEvents).toBe(2);
    expect(t.droppedEvents).toBe(2);
    expect([t.openSpans, t.trackedEvents]).toEqual([0, 0]);
    expect(buildSpan(done.spanHex, done.events, done.droppedEvents, CTX).droppedEventsCount).toBe(2);
  });

  it('ignores events the collector attached to no span; any span end closes the span it carries', () => {
    const t = new SpanTracker();
    expect(t.observe(ev('smtp.ehlo', T0, { domain: 'x' }, '7'))).toBeUndefined();
    expect(t.observe(ev('smtp.connection-end', T0, { elapsed: 5 }, '7'))).toBeUndefined();
    expect(t.openSpans).toBe(0);
    t.observe(ehlo('8'));
    expect(t.observe(end('8'))?.events.map((e) => e.type)).toEqual(['smtp.ehlo', 'smtp.connection-end']);
  });

  it('evicts the oldest span past maxOpenSpans and past maxTrackedEvents', () => {
    const t = new SpanTracker(limits({ maxOpenSpans: 2, maxTrackedEvents: 4 }));
    t.observe(ehlo('1'));
    t.observe(ehlo('2'));
    t.observe(ehlo('3'));
    expect([t.openSpans, t.evicted]).toEqual([2, 1]);
    expect(t.observe(end('1'))).toBeUndefined();
    t.observe(ehlo('3'));
    expect([t.openSpans, t.trackedEvents, t.evicted]).toEqual([2, 3, 1]);
    t.observe(ehlo('3'));
    t.observe(ehlo('3'));
    expect([t.openSpans, t.trackedEvents, t.evicted]).toEqual([1, 4, 2]);
    expect(t.observe(end('3'))?.events).toHaveLength(5);
  });

  it('evicts spans started more than maxAgeMs earlier (event time), checked once a minute', () => {
    const t = new SpanTracker(limits({ maxAgeMs: 3_600_000 }));
    t.observe(ehlo('1', T0));
    t.observe(ehlo('2', T0 + 3_000_000));
    t.observe(ehlo('2', T0 + 3_600_000));
    expect([t.openSpans, t.evicted]).toEqual([1, 1]);
    expect(t.observe(end('2', T0 + 3_600_500))?.events).toHaveLength(3);
  });
});
