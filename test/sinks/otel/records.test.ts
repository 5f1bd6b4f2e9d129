import { describe, expect, it } from 'vitest';
import { logAttributes, spanAttributes, spanIdHex, traceIdHex } from '../../../src/sinks/otel/records.js';
import { signalUrl, transportLabel } from '../../../src/otlp/endpoint.js';
import { renderText } from '../../../src/sinks/otel/render.js';
import { ev, START_KEYS, T0 } from '../../helpers/otel-events.js';

// The value mapping on its own (the wire is covered by index.test.ts).

describe('value mapping', () => {
  it('turns u64 decimal span ids into hex ids, refusing zero, overflow and junk', () => {
    expect(spanIdHex('1')).toBe('0000000000000001');
    expect(spanIdHex('18446744073709551615')).toBe('ffffffffffffffff');
    expect(traceIdHex('ffffffffffffffff')).toBe('0000000000000000ffffffffffffffff');
    for (const bad of [undefined, '', '0', '18446744073709551616', '-1', '12a', '1.5']) expect(spanIdHex(bad)).toBeUndefined();
  });

  it('renders nested events and mixed arrays as §7 text', () => {
    expect(renderText('details', { type: 'store.not-found', data: { remoteIp: '10.0.0.1', reason: 'a\tb\\c', elapsed: 4, x: null } }))
      .toBe('Record not found in database (store.not-found) { remoteIp = 10.0.0.1, reason = "a\\tb\\\\c", elapsed = 4ms, x = (null) }');
    expect(renderText('details', { type: 'not.in-catalogue', data: {} })).toBe('not.in-catalogue (not.in-catalogue)');
    expect(spanAttributes({ mixed: [1, 'a'], ids: [1, 2], nested: [[1]], spanId: '9', gone: null })).toEqual({ mixed: '[1, "a"]', ids: [1, 2], nested: '[[1]]' });
  });

  it('log attributes: own keys win over span keys, null dropped, arrays kept as arrays', () => {
    const e = ev('smtp.ehlo', T0, { domain: 'd', localPort: 2525, list: [1, null], none: null }, '3', START_KEYS);
    expect(logAttributes(e)).toEqual({ domain: 'd', localPort: 2525, list: [1, null], listenerId: 'smtp', remoteIp: '192.0.2.1', remotePort: 40112 });
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
