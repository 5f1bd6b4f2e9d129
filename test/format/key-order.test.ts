import { describe, expect, it } from 'vitest';
import { encodeLiveTraceEvent, encodeWebhookBody } from '../../src/format/json-encode.js';
import { parseEventsJson } from '../../src/format/json-parse.js';
import { formatLine } from '../../src/format/text.js';
import { Collector } from '../../src/runtime/collector.js';
import type { TelemetryEvent } from '../../src/runtime/event.js';

/** Parses NDJSON lines and stamps them through the collector, as a replay does. */
function replay(...lines: string[]): TelemetryEvent[] {
  const c = new Collector(new Map(), 100, () => 0);
  for (const line of lines) for (const ev of parseEventsJson(line).events) c.ingest(ev);
  return c.history.toArray();
}

describe('a replayed event keeps its keys in arrival order in every encoder', () => {
  // Stalwart's delivery.attempt-start writes spanId first; the catalogue order would put it last.
  const start = '{"createdAt":"2025-06-15T18:02:57Z","type":"delivery.attempt-start","data":{"spanId":77,"queueId":5,"from":"a@example.org","to":["b@example.org"],"size":1200}}';
  const connect = '{"createdAt":"2025-06-15T18:02:58Z","type":"delivery.connect","data":{"remoteIp":"192.0.2.9","spanId":77,"localPort":25,"hostname":"mx.example.org","elapsed":4}}';

  it('webhook body: spanId where it arrived, own keys in order, then the span keys', () => {
    const evs = replay(start, connect);
    // (the type ids in `id` are another test's business)
    expect(encodeWebhookBody(evs, '0.15').replace(/"id":"\d+",/g, '')).toBe(
      '{"events":[' +
        '{"createdAt":"2025-06-15T18:02:57Z","type":"delivery.attempt-start","data":{"spanId":77,"queueId":5,"from":"a@example.org","to":["b@example.org"],"size":1200}},' +
        '{"createdAt":"2025-06-15T18:02:58Z","type":"delivery.connect","data":{"remoteIp":"192.0.2.9","spanId":77,"localPort":25,"hostname":"mx.example.org","elapsed":4,"queueId":5,"from":"a@example.org","to":["b@example.org"],"size":1200}}' +
        ']}',
    );
  });

  it('log line: span keys, then own keys in arrival order (spanId never printed)', () => {
    const [, ev] = replay(start, connect);
    expect(formatLine(ev!, { ansi: false, multiline: false })).toBe(
      '2025-06-15T18:02:58Z INFO Connecting to remote server (delivery.connect) queueId = 5, from = "a@example.org", to = ["b@example.org"], size = 1200, ' +
        'remoteIp = 192.0.2.9, localPort = 25, hostname = "mx.example.org", elapsed = 4ms\n',
    );
  });

  it('live trace element: own keys in arrival order, then the span keys (docs/stalwart.md §0), never spanId', () => {
    const [, ev] = replay(start, connect);
    expect(encodeLiveTraceEvent(ev!)).toBe(
      '{"text":"Connecting to remote server","details":"Connecting to remote server","createdAt":"2025-06-15T18:02:58Z","type":"delivery.connect",' +
        '"data":{"remoteIp":"192.0.2.9","localPort":25,"hostname":"mx.example.org","elapsed":4,"queueId":5,"from":"a@example.org","to":["b@example.org"],"size":1200}}',
    );
  });
});
