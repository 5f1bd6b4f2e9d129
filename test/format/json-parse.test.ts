import { describe, expect, it } from 'vitest';
import { parseEventObject, parseEventsJson, parseRfc3339, protectBigIntegers } from '../../src/format/json.js';

const T0 = Date.UTC(2025, 5, 15, 18, 2, 57);

describe('parseEventObject', () => {
  it('reads the webhook shape and moves spanId out of data', () => {
    const ev = parseEventObject({
      id: '1750010577431',
      createdAt: '2025-06-15T18:02:57Z',
      type: 'smtp.ehlo',
      data: { spanId: 4242, domain: 'mail.example.org', listenerId: 'smtp', localPort: 25 },
    });
    expect(ev).toEqual({
      type: 'smtp.ehlo',
      createdAt: T0,
      data: { domain: 'mail.example.org', listenerId: 'smtp', localPort: 25 },
      spanId: '4242',
      spanAt: 0,
    });
    expect(Object.keys((ev as { data: object }).data)).toEqual(['domain', 'listenerId', 'localPort']);
  });

  it('reads the live-trace shape with its text', () => {
    const ev = parseEventObject({
      text: 'SMTP connection started',
      details: 'A new SMTP connection was started',
      createdAt: '2025-06-15T18:02:58Z',
      type: 'smtp.connection-start',
      data: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 },
    });
    expect(ev).toEqual({
      type: 'smtp.connection-start',
      createdAt: T0 + 1000,
      text: 'SMTP connection started',
      data: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 },
    });
  });

  it('accepts unknown names, keeping their text and level; nested events and arrays', () => {
    const ev = parseEventObject({
      type: 'custom.thing-happened',
      text: 'Something happened',
      level: 'WARN',
      data: { causedBy: { type: 'store.not-found', data: { key: 'k1', count: [1, 2] } }, to: ['a@example.org'] },
    });
    expect(ev).toEqual({
      type: 'custom.thing-happened',
      text: 'Something happened',
      level: 'warn',
      data: { causedBy: { type: 'store.not-found', data: { key: 'k1', count: [1, 2] } }, to: ['a@example.org'] },
    });
  });

  it('parses RFC3339 variants: fractions, offsets, lower case', () => {
    expect(parseRfc3339('2025-06-15T18:02:57.250Z')).toBe(T0 + 250);
    expect(parseRfc3339('2025-06-15T20:02:57+02:00')).toBe(T0);
    expect(parseRfc3339('2025-06-15t18:02:57z')).toBe(T0);
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('2025-02-29T00:00:00Z')).toBeNaN();
    expect(parseRfc3339('2025-06-15')).toBeNaN();
  });

  it('keeps u64 span ids exact when parsing text', () => {
    const line = '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,"domain":"x 12345678901234567890"}}';
    const { events, errors } = parseEventsJson(line);
    expect(errors).toEqual([]);
    expect(events[0]!.spanId).toBe('18446744073709551615');
    expect(events[0]!.data).toEqual({ domain: 'x 12345678901234567890' });
  });

  it('quotes only unsafe integers outside strings', () => {
    const text =
      '{"a":"x\\":12345678901234567890,","b":[12345678901234567890,-98765432109876543210,9007199254740991],' +
      '"c":1.2345678901234567890,"d":1234567890123456789e3,"e":"\\\\","f":99999999999999999999}';
    expect(protectBigIntegers(text)).toBe(
      '{"a":"x\\":12345678901234567890,","b":["12345678901234567890","-98765432109876543210",9007199254740991],' +
        '"c":1.2345678901234567890,"d":1234567890123456789e3,"e":"\\\\","f":"99999999999999999999"}',
    );
    expect(JSON.parse(protectBigIntegers(text)).a).toBe('x":12345678901234567890,');
    expect(protectBigIntegers('{"a":"unterminated 12345678901234567890}')).toBe('{"a":"unterminated 12345678901234567890}');
  });

  it.each([
    ['a string', '"hello"', 'event is the string "hello", not a JSON object'],
    ['null', null, 'event is null, not a JSON object'],
    ['an array element', [1], 'event is an array, not a JSON object'],
    ['no type', { data: {} }, 'missing "type"'],
    ['numeric type', { type: 7, data: {} }, '"type" is number 7, not a non-empty string'],
    ['empty type', { type: '', data: {} }, '"type" is the string "", not a non-empty string'],
    ['numeric createdAt', { type: 'smtp.ehlo', createdAt: 1750010577, data: {} }, '"createdAt" is number 1750010577, not an RFC3339 string'],
    ['bad createdAt', { type: 'smtp.ehlo', createdAt: 'yesterday', data: {} }, '"createdAt" is not a valid RFC3339 timestamp: yesterday'],
    ['month 13', { type: 'smtp.ehlo', createdAt: '2025-13-01T00:00:00Z', data: {} }, '"createdAt" is not a valid RFC3339 timestamp: 2025-13-01T00:00:00Z'],
    ['array data', { type: 'smtp.ehlo', data: [1] }, '"data" is an array, not an object'],
    ['string data', { type: 'smtp.ehlo', data: 'x' }, '"data" is the string "x", not an object'],
    ['bad spanId', { type: 'smtp.ehlo', data: { spanId: -1 } }, '"spanId" is number -1, not an unsigned integer'],
    ['bad nested value', { type: 'smtp.ehlo', data: { to: [{ a: 1 }] } }, 'data.to[0] is an object, not a value (string, number, boolean, array or nested {type, data})'],
  ])('rejects %s', (_name, input, reason) => {
    const parsed = typeof input === 'string' ? parseEventsJson(input).errors[0] : (parseEventObject(input) as { error: string }).error;
    expect(parsed).toBe(reason);
  });

  it('reports invalid JSON', () => {
    const { events, errors } = parseEventsJson('{"type":"smtp.ehlo",');
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^invalid JSON: /);
  });
});

describe('parseEventsJson', () => {
  it('expands a webhook body and names each bad element', () => {
    const body = JSON.stringify({
      events: [
        { id: '1', createdAt: '2025-06-15T18:02:57Z', type: 'auth.success', data: { accountName: 'alice' } },
        { id: '2', createdAt: 'nope', type: 'auth.failed', data: {} },
        { id: '3', createdAt: '2025-06-15T18:02:59Z', type: 'auth.failed', data: { accountName: 'bob', spanId: 9 } },
      ],
    });
    const { events, errors } = parseEventsJson(body);
    expect(events.map((e) => [e.type, e.createdAt, e.spanId])).toEqual([
      ['auth.success', T0, undefined],
      ['auth.failed', T0 + 2000, '9'],
    ]);
    expect(errors).toEqual(['events[1]: "createdAt" is not a valid RFC3339 timestamp: nope']);
  });

  it('expands a live-trace array and rejects a non-array events', () => {
    const { events } = parseEventsJson('[{"type":"imap.noop","data":{}},{"type":"imap.logout","data":{}}]');
    expect(events.map((e) => e.type)).toEqual(['imap.noop', 'imap.logout']);
    expect(parseEventsJson('{"events":{}}').errors).toEqual(['"events" is an object, not an array']);
  });
});
