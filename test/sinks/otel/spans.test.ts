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

describe('span tracker', () => {
  it('holds at most maxEventsPerSpan events, counts the rest, always adds the end event', () => {
    const t = new SpanTracker(limits({ maxEventsPerSpan: 3 }));
    t.observe(start('1'));
    for (let i = 0; i < 5; i++) expect(t.observe(ehlo('1'))).toBeUndefined();
    expect(t.trackedEvents).toBe(3);
    const done = t.observe(end('1'))!;
    expect(done.events.map((e) => e.type)).toEqual(['smtp.connection-start', 'smtp.ehlo', 'smtp.ehlo', 'smtp.connection-end']);
    expect(done.droppedEvents).toBe(3);
    expect(t.droppedEvents).toBe(3);
    expect([t.openSpans, t.trackedEvents]).toEqual([0, 0]);
    const span = buildSpan(done.spanHex, done.events, done.droppedEvents, { resource: resourceFromAttributes({}), scope: { name: 'stalwart' } });
    expect(span.droppedEventsCount).toBe(3);
  });

  it('ignores events of spans whose start it never saw; a foreign end event does not close', () => {
    const t = new SpanTracker();
    expect(t.observe(ehlo('7'))).toBeUndefined();
    expect(t.observe(end('7'))).toBeUndefined();
    expect(t.openSpans).toBe(0);
    t.observe(start('8'));
    expect(t.observe(ev('imap.connection-end', T0, {}, '8'))).toBeUndefined();
    expect(t.observe(end('8'))?.events.map((e) => e.type)).toEqual(['smtp.connection-start', 'imap.connection-end', 'smtp.connection-end']);
  });

  it('evicts the oldest span past maxOpenSpans and past maxTrackedEvents', () => {
    const t = new SpanTracker(limits({ maxOpenSpans: 2, maxTrackedEvents: 4 }));
    t.observe(start('1'));
    t.observe(start('2'));
    t.observe(start('3'));
    expect([t.openSpans, t.evicted]).toEqual([2, 1]);
    expect(t.observe(end('1'))).toBeUndefined();
    t.observe(ehlo('3'));
    t.observe(ehlo('3'));
    expect([t.openSpans, t.trackedEvents, t.evicted]).toEqual([2, 4, 1]);
    t.observe(ehlo('3'));
    expect([t.openSpans, t.trackedEvents, t.evicted]).toEqual([1, 4, 2]);
    expect(t.observe(end('3'))?.events).toHaveLength(5);
  });

  it('evicts spans started more than maxAgeMs earlier (event time), checked once a minute', () => {
    const t = new SpanTracker(limits({ maxAgeMs: 3_600_000 }));
    t.observe(start('1', T0));
    t.observe(start('2', T0 + 3_000_000));
    t.observe(ehlo('2', T0 + 3_600_000));
    expect([t.openSpans, t.evicted]).toEqual([1, 1]);
    expect(t.observe(end('2', T0 + 3_600_500))?.events).toHaveLength(3);
  });

  it('a second start with the same id replaces the open span', () => {
    const t = new SpanTracker();
    t.observe(start('5', T0));
    t.observe(ehlo('5'));
    t.observe(start('5', T0 + 10_000));
    const done = t.observe(end('5', T0 + 20_000))!;
    expect(done.events.map((e) => e.createdAt)).toEqual([T0 + 10_000, T0 + 20_000]);
  });
});
