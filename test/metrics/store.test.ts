import { describe, expect, it } from 'vitest';
import { EVENTS, eventInfo, isEvent, METRICS, SPAN_ENDS } from '../../src/catalogue/index.js';
import { parsePattern, type Pattern } from '../../src/catalogue/patterns.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';
import { BOUNDS, CONNECTION_GAUGES, HISTOGRAM_FEEDS, QUEUE_DOWN, QUEUE_UP, createMetrics, type MetricsSnapshot } from '../../src/metrics/index.js';
import { stalwartTsv } from '../helpers/stalwart-data.js';

let seq = 0;
function ev(type: string, data: EventData = {}): TelemetryEvent {
  return { seq: ++seq, type, level: eventInfo(type)?.level ?? 'info', createdAt: Date.now(), data, text: '' };
}

function pattern(text: string): Pattern {
  const p = parsePattern(text, isEvent);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

const counter = (s: MetricsSnapshot, name: string) => s.counters.find((c) => c.name === name)?.value ?? 0;
const gauge = (s: MetricsSnapshot, name: string) => s.gauges.find((g) => g.name === name)?.value;
const hist = (s: MetricsSnapshot, name: string) => s.histograms.find((h) => h.name === name);

const TSV = stalwartTsv('metrics-v0.15.tsv');

describe('metric set (docs/stalwart.md §6)', () => {
  it('has the 310 v0.15 counters of metrics-v0.15.tsv minus the 5 span ends (always 0), 10 gauges, 17 histograms', () => {
    const m = createMetrics({ disabledEvents: [] });
    const all = TSV.filter((r) => r[1] === 'counter').map((r) => r[0]!);
    expect(all).toHaveLength(310);
    const spanEnds = all.filter((n) => SPAN_ENDS.has(n));
    expect(spanEnds.sort()).toEqual(['delivery.attempt-end', 'imap.connection-end', 'manage-sieve.connection-end', 'pop3.connection-end', 'smtp.connection-end']);
    const tsvCounters = all.filter((n) => !SPAN_ENDS.has(n));
    expect(m.counterNames()).toHaveLength(305);
    expect([...m.counterNames()].sort()).toEqual([...tsvCounters].sort());
    expect(METRICS.filter((x) => x.type === 'gauge')).toHaveLength(10);
    expect(HISTOGRAM_FEEDS.map((f) => f.name).sort()).toEqual(TSV.filter((r) => r[1] === 'histogram').map((r) => r[0]).sort());
  });

  it('names only catalogue events in its feeding tables', () => {
    const names = [...HISTOGRAM_FEEDS.flatMap((f) => f.events), ...CONNECTION_GAUGES.flatMap((g) => [g.start, g.end]), ...QUEUE_UP, QUEUE_DOWN];
    expect(names.filter((n) => !isEvent(n))).toEqual([]);
  });

  it('counts flagged events, never span ends or raw I/O, and honours metrics.disabled-events', () => {
    const m = createMetrics({ disabledEvents: [pattern('imap.*'), pattern('smtp.ehlo')] });
    for (let i = 0; i < 3; i++) m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-end', { elapsed: 10 }));
    m.observe(ev('smtp.raw-input', { size: 10 }));
    m.observe(ev('smtp.ehlo'));
    m.observe(ev('imap.connection-start'));
    m.observe(ev('acme.auth-error'));
    m.observe(ev('acme.auth-completed')); // not flagged as a metric
    m.observe(ev('no-such.event'));
    const s = m.snapshot();
    expect(s.counters).toEqual([
      { name: 'acme.auth-error', description: 'ACME authentication error', value: 1 },
      { name: 'smtp.connection-start', description: eventInfo('smtp.connection-start')!.description, value: 3 },
    ]);
    expect(m.counterNames()).not.toContain('imap.connection-start');
    expect(m.counterNames()).not.toContain('smtp.connection-end');
    expect(m.counterNames()).not.toContain('smtp.raw-input');
  });

  it('tracks active connections per protocol from span start/end, never below 0', () => {
    const m = createMetrics({ disabledEvents: [] });
    m.observe(ev('imap.connection-end', { elapsed: 5 })); // end without a start seen
    for (const g of CONNECTION_GAUGES) {
      m.observe(ev(g.start));
      m.observe(ev(g.start));
      m.observe(ev(g.end, { elapsed: 1 }));
    }
    m.observe(ev('manage-sieve.connection-start'));
    const s = m.snapshot();
    for (const g of CONNECTION_GAUGES) expect(gauge(s, g.name)).toBe(g.name === 'sieve.active-connections' ? 2 : 1);
    expect(s.gauges.find((g) => g.name === 'smtp.active-connections')!.unit).toBe('connections');
  });

  it('counts the queue up on v0.15 and v0.16 queued events and down on delivery.completed, floor 0', () => {
    const m = createMetrics({ disabledEvents: [] });
    m.observe(ev('delivery.completed', { elapsed: 100 }));
    m.observe(ev('queue.queue-message', { size: 100 }));
    m.observe(ev('queue.queue-dsn'));
    m.observe(ev('queue.message-queued', { size: 100 }));
    m.observe(ev('delivery.completed', { elapsed: 100 }));
    expect(gauge(m.snapshot(), 'queue.count')).toBe(2);
  });

  it('shows server.memory, user.count and domain.count only once a source sets them', () => {
    const m = createMetrics({ disabledEvents: [] });
    expect(m.snapshot().gauges.map((g) => g.name).sort()).toEqual([...CONNECTION_GAUGES.map((g) => g.name), 'queue.count'].sort());
    m.setGauge('user.count', 42);
    m.setGauge('server.memory', 1_000_000);
    m.setGauge('no.such-gauge', 1);
    const s = m.snapshot();
    expect(gauge(s, 'user.count')).toBe(42);
    expect(gauge(s, 'server.memory')).toBe(1_000_000);
    expect(gauge(s, 'domain.count')).toBeUndefined();
    expect(s.gauges.find((g) => g.name === 'server.memory')!.unit).toBe('bytes');
  });

  it('feeds histograms with exclusive upper bounds, an overflow bucket, sum, count, min and max; a missing or unusable size is 0', () => {
    const m = createMetrics({ disabledEvents: [] });
    for (const size of [0, 500, 501, 1000, 1024, 600_000_000]) m.observe(ev('queue.queue-message', { size }));
    m.observe(ev('queue.queue-message', {})); // no size: Stalwart records 0
    m.observe(ev('queue.queue-message', { size: -5 }));
    m.observe(ev('queue.queue-message', { size: '2048' }));
    const h = hist(m.snapshot(), 'message.size')!;
    expect(h.bounds).toEqual(BOUNDS.size);
    expect(h.buckets).toEqual([3, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(h.count).toBe(9);
    expect(h.sum).toBe(500 + 501 + 1000 + 1024 + 600_000_000 + 2048);
    expect([h.min, h.max]).toEqual([0, 600_000_000]);
    expect(counter(m.snapshot(), 'queue.queue-message')).toBe(9);
  });

  it('message-size bounds are decimal bytes and exclusive: size 1000 lands in the < 10000 bucket', () => {
    expect(BOUNDS.size).toEqual([500, 1000, 10_000, 100_000, 1_000_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 500_000_000]);
    const m = createMetrics({ disabledEvents: [] });
    m.observe(ev('queue.queue-message', { size: 1000 }));
    m.observe(ev('queue.queue-message', { size: 999 }));
    m.observe(ev('queue.queue-message', { size: 1024 }));
    m.observe(ev('queue.queue-message', { size: 500_000_000 }));
    expect(hist(m.snapshot(), 'message.size')!.buckets).toEqual([0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('a histogram event without its value key records 0: delivery.completed {} gives delivery.total-time count 1', () => {
    const m = createMetrics({ disabledEvents: [] });
    m.observe(ev('delivery.completed', {}));
    expect(hist(m.snapshot(), 'delivery.total-time')).toMatchObject({ count: 1, sum: 0, min: 0, buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it('dns.lookup-time is fed by exactly delivery.null-mx, mta-sts authorized/not-authorized/invalid-policy and dane.* but tlsa-record-match/fetch', () => {
    const feeders: string[] = [];
    for (const e of EVENTS) {
      const m = createMetrics({ disabledEvents: [] });
      m.observe(ev(e.name, { elapsed: 7 }));
      if (hist(m.snapshot(), 'dns.lookup-time')) feeders.push(e.name);
    }
    expect(feeders.sort()).toEqual([
      'dane.authentication-failure', 'dane.authentication-success', 'dane.certificate-parse-error', 'dane.no-certificates-found',
      'dane.tlsa-record-fetch-error', 'dane.tlsa-record-invalid', 'dane.tlsa-record-not-dnssec-signed', 'dane.tlsa-record-not-found',
      'delivery.null-mx', 'mta-sts.authorized', 'mta-sts.invalid-policy', 'mta-sts.not-authorized',
    ]);
  });

  it('gauges and histograms move only for metric events not in metrics.disabled-events: delivery.* freezes the delivery gauges and histograms', () => {
    const m = createMetrics({ disabledEvents: [pattern('delivery.*')] });
    m.observe(ev('queue.queue-message', { size: 10 }));
    m.observe(ev('delivery.attempt-start'));
    m.observe(ev('delivery.attempt-end', { elapsed: 300 }));
    m.observe(ev('delivery.attempt-start'));
    m.observe(ev('delivery.completed', { elapsed: 5000 }));
    m.observe(ev('delivery.null-mx', { elapsed: 9 }));
    m.observe(ev('smtp.ehlo', { elapsed: 5 })); // not a metric event: feeds nothing
    const s = m.snapshot();
    expect(gauge(s, 'delivery.active-connections')).toBe(0);
    expect(gauge(s, 'queue.count')).toBe(1);
    expect(s.histograms.map((h) => h.name)).toEqual(['message.size']);
  });

  it('the listeners\' connection start/end always feed the connection gauges and request times, even when disabled or not metric events (http)', () => {
    const m = createMetrics({ disabledEvents: [pattern('smtp.*'), pattern('*-start'), pattern('*-end')] });
    m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-end', { elapsed: 300 }));
    m.observe(ev('http.connection-start'));
    m.observe(ev('http.connection-end', { elapsed: 40 }));
    m.observe(ev('delivery.attempt-start')); // not a listener: disabled like any event
    const s = m.snapshot();
    expect(gauge(s, 'smtp.active-connections')).toBe(1);
    expect(gauge(s, 'http.active-connections')).toBe(0);
    expect(gauge(s, 'delivery.active-connections')).toBe(0);
    expect(s.histograms.map((h) => [h.name, h.count])).toEqual([['smtp.request-time', 1], ['http.request-time', 1]]);
    expect(counter(s, 'smtp.connection-start')).toBe(0);
  });

  it('uses the four bound sets and feeding events of docs/stalwart.md §6', () => {
    const m = createMetrics({ disabledEvents: [] });
    const feeds: [string, string, number][] = [
      ['message-ingest.ham', 'message-ingest.time', 7],
      ['message-ingest.search-index', 'message-ingest.index-time', 3],
      ['delivery.completed', 'delivery.total-time', 45_000],
      ['delivery.attempt-end', 'delivery.attempt-time', 300],
      ['queue.queue-message-authenticated', 'message.authenticated-size', 4096],
      ['queue.report-queued', 'outgoing-report.size', 700],
      ['store.data-iterate', 'store.data-read-time', 1],
      ['store.blob-write', 'store.blob-write-time', 2],
      ['delivery.null-mx', 'dns.lookup-time', 12],
      ['mta-sts.authorized', 'dns.lookup-time', 60],
      ['dane.authentication-success', 'dns.lookup-time', 0], // elapsed 0: not a lookup time
      ['pop3.connection-end', 'pop3.request-time', 70_000],
      ['manage-sieve.connection-end', 'sieve.request-time', 1],
    ];
    for (const [type, , elapsed] of feeds) m.observe(ev(type, type.startsWith('queue.') ? { size: elapsed } : { elapsed }));
    const s = m.snapshot();
    expect(hist(s, 'message-ingest.time')!.buckets.slice(0, 3)).toEqual([0, 1, 0]);
    expect(hist(s, 'delivery.total-time')!.bounds).toEqual(BOUNDS.long);
    expect(hist(s, 'delivery.total-time')!.buckets.slice(0, 3)).toEqual([0, 0, 1]);
    expect(hist(s, 'delivery.attempt-time')!.bounds).toEqual(BOUNDS.medium);
    expect(hist(s, 'delivery.attempt-time')!.buckets.slice(0, 2)).toEqual([0, 1]);
    expect(hist(s, 'dns.lookup-time')!.bounds).toEqual(BOUNDS.short);
    expect(hist(s, 'dns.lookup-time')!.count).toBe(2);
    expect(hist(s, 'dns.lookup-time')!.buckets.slice(0, 4)).toEqual([0, 0, 1, 1]);
    expect(hist(s, 'pop3.request-time')!.buckets[6]).toBe(1);
    expect(hist(s, 'outgoing-report.size')!.buckets[1]).toBe(1);
    expect(s.histograms.map((h) => h.name).sort()).toEqual(
      ['message-ingest.time', 'message-ingest.index-time', 'delivery.total-time', 'delivery.attempt-time', 'message.authenticated-size', 'outgoing-report.size',
        'store.data-read-time', 'store.blob-write-time', 'dns.lookup-time', 'pop3.request-time', 'sieve.request-time'].sort(),
    );
    for (const h of s.histograms) expect(h.buckets).toHaveLength(12);
  });

  it('keeps cumulative totals and a since-mark view', () => {
    const m = createMetrics({ disabledEvents: [] });
    m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-end', { elapsed: 300 }));
    m.mark();
    m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-start'));
    m.observe(ev('smtp.connection-end', { elapsed: 20_000 }));
    const total = m.snapshot();
    const since = m.snapshot('since-mark');
    expect(counter(total, 'smtp.connection-start')).toBe(3);
    expect(counter(since, 'smtp.connection-start')).toBe(2);
    expect(hist(total, 'smtp.request-time')!.count).toBe(2);
    expect(hist(since, 'smtp.request-time')).toMatchObject({ count: 1, sum: 20_000, buckets: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] });
    expect(gauge(since, 'smtp.active-connections')).toBe(1);
    expect(since.since).toBeGreaterThanOrEqual(total.since);
  });

  it('never throws on malformed events', () => {
    const m = createMetrics({ disabledEvents: [] });
    expect(() => m.observe({ type: 'queue.queue-message' } as unknown as TelemetryEvent)).not.toThrow();
    expect(() => m.observe(ev('delivery.completed', { elapsed: 'soon' }))).not.toThrow();
    expect(() => m.observe(ev('delivery.completed', { elapsed: null }))).not.toThrow();
    const s = m.snapshot();
    expect(counter(s, 'queue.queue-message')).toBe(1);
    expect(counter(s, 'delivery.completed')).toBe(2);
    expect(hist(s, 'delivery.total-time')).toMatchObject({ count: 2, sum: 0 });
  });
});
