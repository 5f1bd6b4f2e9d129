import { describe, expect, it } from 'vitest';
import { encodeLiveTraceEventV016 } from '../../src/http/v016-encode.js';
import { fromV016 } from '../../src/sources/stalwart/v016-trace.js';
import { parseEventObject, protectBigIntegers } from '../../src/format/json-parse.js';
import { tev } from '../helpers/stream-peer.js';

describe('v0.16 live trace element (registry TraceEvent)', () => {
  it('tags every value kind as map_value does, numbers the List from "0", and writes no text, details or span keys', () => {
    const ev = tev(
      'delivery.attempt-start',
      {
        queueId: 1139485590244612,
        from: 'a@example.org',
        to: ['b@example.org', 'c@example.org'],
        elapsed: 21,
        nextRetry: '2025-06-15T18:05:00Z',
        remoteIp: '2001:db8::1',
        tls: false,
        delta: -3,
        ratio: 0.25,
        reason: null,
        causedBy: { type: 'network.timeout', data: { elapsed: 5000, details: 'read' } },
      },
      { spanId: '18446744073709551615', spanAt: 1, span: { queueId: 1, listenerId: 'smtp' } },
    );
    const out = encodeLiveTraceEventV016(ev);
    const kv = (i: number, key: string, value: string) => `"${i}":{"key":"${key}","value":${value}}`;
    expect(out).toBe(
      '{"event":"delivery.attempt-start","timestamp":"2025-06-15T18:02:57Z","keyValues":{' +
        [
          kv(0, 'queueId', '{"@type":"UnsignedInt","value":1139485590244612}'),
          kv(1, 'spanId', '{"@type":"UnsignedInt","value":18446744073709551615}'),
          kv(2, 'from', '{"@type":"String","value":"a@example.org"}'),
          kv(3, 'to', '{"@type":"List","value":{"0":{"@type":"String","value":"b@example.org"},"1":{"@type":"String","value":"c@example.org"}}}'),
          kv(4, 'elapsed', '{"@type":"Duration","value":21}'),
          kv(5, 'nextRetry', '{"@type":"UTCDateTime","value":"2025-06-15T18:05:00Z"}'),
          kv(6, 'remoteIp', '{"@type":"IpAddr","value":"2001:db8::1"}'),
          kv(7, 'tls', '{"@type":"Boolean","value":false}'),
          kv(8, 'delta', '{"@type":"Integer","value":-3}'),
          kv(9, 'ratio', '{"@type":"Float","value":0.25}'),
          kv(10, 'reason', '{"@type":"Null"}'),
          kv(11, 'causedBy', '{"@type":"Event","event":"network.timeout","value":{"0":{"key":"elapsed","value":{"@type":"Duration","value":5000}},"1":{"key":"details","value":{"@type":"String","value":"read"}}}}'),
        ].join(',') +
        '}}',
    );
  });

  it('spanId goes first on ordinary events and last on span starts when its place is not known; none without a span', () => {
    expect(encodeLiveTraceEventV016(tev('smtp.ehlo', { domain: 'x' }, { spanId: '9' }))).toContain('"keyValues":{"0":{"key":"spanId","value":{"@type":"UnsignedInt","value":9}},"1":{"key":"domain"');
    expect(encodeLiveTraceEventV016(tev('smtp.connection-start', { localPort: 25 }, { spanId: '9' }))).toContain('"keyValues":{"0":{"key":"localPort","value":{"@type":"UnsignedInt","value":25}},"1":{"key":"spanId"');
    expect(encodeLiveTraceEventV016(tev('auth.success', {}))).toBe('{"event":"auth.success","timestamp":"2025-06-15T18:02:57Z","keyValues":{}}');
  });

  it("reads back through the stalwart source's v0.16 reader as the same event (nulls left out, as every reader does)", () => {
    const ev = tev('smtp.ehlo', { domain: 'mx.example', to: ['a', 'b'], elapsed: 3, reason: null, causedBy: { type: 'x.y', data: { code: 5 } } }, { spanId: '12345678901234567890', spanAt: 0 });
    const c = fromV016(JSON.parse(protectBigIntegers(encodeLiveTraceEventV016(ev))) as Record<string, unknown>);
    const back = parseEventObject(c);
    expect(back).toMatchObject({ type: 'smtp.ehlo', spanId: '12345678901234567890', spanAt: 0, data: { domain: 'mx.example', to: ['a', 'b'], elapsed: 3, causedBy: { type: 'x.y', data: { code: 5 } } } });
    expect(Object.keys((back as { data: object }).data)).toEqual(['domain', 'to', 'elapsed', 'causedBy']);
  });
});
