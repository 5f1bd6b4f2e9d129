import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import { BOUNDS, createMetrics, prometheusName, renderPrometheus, type Metrics } from '../../src/metrics/index.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';

interface PromFamily {
  name: string;
  help: string;
  type: string;
  metrics: { value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

let seq = 0;
function ev(type: string, data: EventData = {}): TelemetryEvent {
  return { seq: ++seq, type, level: eventInfo(type)?.level ?? 'info', createdAt: Date.now(), data, text: '' };
}

function fed(): Metrics {
  const m = createMetrics({ disabledEvents: [] });
  for (let i = 0; i < 4; i++) m.observe(ev('smtp.connection-start'));
  for (const elapsed of [100, 250, 600, 4000]) m.observe(ev('smtp.connection-end', { elapsed }));
  for (const size of [400, 2048, 2048, 20 * 1024 * 1024]) m.observe(ev('queue.queue-message', { size }));
  m.observe(ev('delivery.attempt-start'));
  m.setGauge('user.count', 7);
  return m;
}

describe('Prometheus text', () => {
  it('parses with a real exposition-format parser: names, HELP, types, values, cumulative buckets', () => {
    const text = renderPrometheus(fed().snapshot());
    const families = new Map(parse(text).map((f) => [f.name, f]));
    expect([...families.keys()].sort()).toEqual([
      'delivery_active_connections', 'delivery_attempt_start', 'http_active_connections', 'imap_active_connections', 'message_size',
      'pop3_active_connections', 'queue_count', 'queue_queue_message', 'sieve_active_connections', 'smtp_active_connections',
      'smtp_connection_start', 'smtp_request_time', 'user_count',
    ]);
    expect(families.get('smtp_connection_start')).toEqual({ name: 'smtp_connection_start', help: 'SMTP connection started', type: 'COUNTER', metrics: [{ value: '4' }] });
    expect(families.get('queue_count')).toMatchObject({ type: 'GAUGE', help: 'Total number of messages in the queue', metrics: [{ value: '4' }] });
    expect(families.get('smtp_active_connections')!.metrics).toEqual([{ value: '0' }]);
    expect(families.get('user_count')!.metrics).toEqual([{ value: '7' }]);

    const h = families.get('smtp_request_time')!;
    expect(h.type).toBe('HISTOGRAM');
    expect(h.help).toBe('SMTP request duration');
    const m = h.metrics[0]!;
    expect(m.count).toBe('4');
    expect(m.sum).toBe('4950');
    // Stalwart's exclusive bounds: 250 is counted under le="500", not le="250".
    const expected = [1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4];
    expect(Object.keys(m.buckets!)).toHaveLength(12);
    BOUNDS.medium.forEach((b, i) => expect(m.buckets![String(b)]).toBe(String(expected[i])));
    expect(m.buckets!['+Inf']).toBe('4');

    const size = families.get('message_size')!.metrics[0]!;
    expect(size.buckets!['500']).toBe('1');
    expect(size.buckets!['1000']).toBe('1');
    expect(size.buckets!['10000']).toBe('3');
    expect(size.buckets!['10000000']).toBe('3');
    expect(size.buckets!['25000000']).toBe('4');
    expect(Number(size.sum)).toBe(400 + 2048 + 2048 + 20 * 1024 * 1024);
    // Every bucket series is non-decreasing and ends at _count, as the format requires.
    for (const f of families.values()) {
      if (f.type !== 'HISTOGRAM') continue;
      const counts = Object.entries(f.metrics[0]!.buckets!).sort(([a], [b]) => (a === '+Inf' ? 1 : b === '+Inf' ? -1 : Number(a) - Number(b))).map(([, v]) => Number(v));
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBe(Number(f.metrics[0]!.count));
    }
  });

  it('names ids with every non-alphanumeric character as _, and lists no zero counters or empty histograms', () => {
    expect(prometheusName('delivery.total-time')).toBe('delivery_total_time');
    expect(prometheusName('message-ingest.index-time')).toBe('message_ingest_index_time');
    const text = renderPrometheus(createMetrics({ disabledEvents: [] }).snapshot());
    expect(text).not.toMatch(/TYPE \S+ (counter|histogram)/);
    expect(text).toMatch(/^# TYPE smtp_active_connections gauge$/m);
  });
});
