import { describe, expect, it } from 'vitest';
import { logAttributes, spanAttributes, spanIdHex, traceIdHex } from '../../../src/sinks/otel/records.js';
import { signalUrl, transportLabel } from '../../../src/otlp/endpoint.js';
import { ev, START_KEYS, T0 } from '../../helpers/otel-events.js';

// The value mapping on its own (the wire is covered by index.test.ts).

describe('value mapping', () => {
  it('turns u64 decimal span ids into hex ids, refusing zero, overflow and junk', () => {
    expect(spanIdHex('1')).toBe('0000000000000001');
    expect(spanIdHex('18446744073709551615')).toBe('ffffffffffffffff');
    expect(traceIdHex('ffffffffffffffff')).toBe('0000000000000000ffffffffffffffff');
    for (const bad of [undefined, '', '0', '18446744073709551616', '-1', '12a', '1.5']) expect(spanIdHex(bad)).toBeUndefined();
  });

  it('span attributes: no spanId, nested event "[event data]", list "[array]", bytes "[binary data]", missing false', () => {
    const data = { mixed: [1, 'a'], nested: { type: 'store.not-found', data: { key: 'k' } }, spanId: '9', gone: null, n: 3, s: 'x', b: true, raw: new Uint8Array([1, 2]) as unknown as null };
    const out = spanAttributes(data);
    expect(out).toEqual({ mixed: '[array]', nested: '[event data]', gone: false, n: 3, s: 'x', b: true, raw: '[binary data]' });
    expect(Object.keys(out)).toEqual(['mixed', 'nested', 'gone', 'n', 's', 'b', 'raw']);
  });

  it('log attributes: own keys only, in arrival order, spanId as an integer where it arrived, nested event as {eventName, ...}, bytes as bytes', () => {
    const bytes = new Uint8Array([0xde, 0xad]);
    const e = ev('delivery.connect', T0, { remoteIp: '192.0.2.9', localPort: 25, list: [1, null], causedBy: { type: 'store.not-found', data: { key: 'k1', elapsed: 3 } }, raw: bytes as unknown as null, none: null }, '42', START_KEYS);
    e.spanAt = 1;
    const a = logAttributes(e);
    expect(a).toEqual({ remoteIp: '192.0.2.9', spanId: 42, localPort: 25, list: [1, false], causedBy: { eventName: 'store.not-found', key: 'k1', elapsed: 3 }, raw: bytes, none: false });
    expect(Object.keys(a)).toEqual(['remoteIp', 'spanId', 'localPort', 'list', 'causedBy', 'raw', 'none']);
    expect(Object.keys(a.causedBy as object)).toEqual(['eventName', 'key', 'elapsed']);
    // Without a known place: first on ordinary events, last on span starts (as Stalwart writes them).
    expect(Object.keys(logAttributes(ev('smtp.ehlo', T0, { domain: 'd' }, '3', START_KEYS)))).toEqual(['spanId', 'domain']);
    expect(Object.keys(logAttributes(ev('smtp.connection-start', T0, START_KEYS, '3')))).toEqual([...Object.keys(START_KEYS), 'spanId']);
  });

  it('picks the exporter and the per-signal URL', () => {
    expect(transportLabel({ transport: 'grpc', protocol: 'protobuf', headers: {}, timeoutMs: 1 })).toBe('grpc');
    expect(transportLabel({ transport: 'http', protocol: 'json', headers: {}, timeoutMs: 1 })).toBe('http/json');
    expect(signalUrl('http://c:4318', 'logs')).toBe('http://c:4318/v1/logs');
    expect(signalUrl('http://c:4318/', 'traces')).toBe('http://c:4318/v1/traces');
    expect(signalUrl('https://c/v1/traces', 'logs')).toBe('https://c/v1/logs');
    expect(signalUrl('https://c/v1/metrics/', 'traces')).toBe('https://c/v1/traces');
    expect(signalUrl('https://otlp.example.com/otlp?x=1', 'logs')).toBe('https://otlp.example.com/otlp/v1/logs?x=1');
    expect(signalUrl(undefined, 'logs')).toBe('http://localhost:4318/v1/logs');
  });
});
