import { describe, expect, it } from 'vitest';
import { eventInfo, SPAN_START_TO_END } from '../../../src/catalogue/index.js';
import type { Level } from '../../../src/catalogue/types.js';
import type { EventData, TelemetryEvent } from '../../../src/runtime/event.js';
import { displayValue, encodeEntry, repairName } from '../../../src/sinks/journal/fields.js';

/** Reads a native-protocol payload back: every field must be `NAME\n<u64 le><bytes>\n`. */
function decode(buf: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let off = 0;
  while (off < buf.length) {
    const nl = buf.indexOf(10, off);
    expect(nl).toBeGreaterThan(off);
    const name = buf.toString('latin1', off, nl);
    const len = Number(buf.readBigUInt64LE(nl + 1));
    const start = nl + 9;
    out.push([name, buf.toString('utf8', start, start + len)]);
    expect(buf[start + len]).toBe(10);
    off = start + len + 1;
  }
  return out;
}

function event(type: string, data: EventData, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  const info = eventInfo(type);
  expect(info, `${type} is in the catalogue`).toBeDefined();
  return { seq: 1, type, level: info!.level, createdAt: 1750010577000, data, text: info!.description, ...extra };
}

describe('journal entry encoding (Stalwart v0.15.5 journald tracer)', () => {
  it('writes PRIORITY, SYSLOG_IDENTIFIER, MESSAGE, then own keys upper-cased in order, all length-prefixed', () => {
    const ev = event('smtp.ehlo', { domain: 'mx1.example.org', listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.10' }, { spanId: '7236145239785423817', span: { remoteIp: '192.0.2.99', extra: 'x' } });
    expect(decode(encodeEntry(ev, 'stalwart'))).toEqual([
      ['PRIORITY', '5'],
      ['SYSLOG_IDENTIFIER', 'stalwart'],
      ['MESSAGE', eventInfo('smtp.ehlo')!.description],
      ['SPANID', '7236145239785423817'],
      ['DOMAIN', 'mx1.example.org'],
      ['LISTENERID', 'smtp'],
      ['LOCALPORT', '25'],
      ['REMOTEIP', '192.0.2.10'],
    ]);
  });

  it('maps levels to priorities error 3, warn 4, info 5, debug 6, trace 7', () => {
    const levels: Level[] = ['error', 'warn', 'info', 'debug', 'trace'];
    const got = levels.map((level) => decode(encodeEntry(event('smtp.ehlo', {}, { level }), 'x'))[0]);
    expect(got).toEqual([['PRIORITY', '3'], ['PRIORITY', '4'], ['PRIORITY', '5'], ['PRIORITY', '6'], ['PRIORITY', '7']]);
  });

  it('puts SPANID last on span start events, where Stalwart writes it', () => {
    const start = Object.keys(SPAN_START_TO_END)[0]!;
    const fields = decode(encodeEntry(event(start, { listenerId: 'smtp', remoteIp: '192.0.2.10' }, { spanId: '42' }), 'stalwart'));
    expect(fields.map((f) => f[0]).slice(3)).toEqual(['LISTENERID', 'REMOTEIP', 'SPANID']);
  });

  it('writes values in Stalwart plain display form', () => {
    const nested = { type: 'store.not-found', data: { id: 'abc', elapsed: 7 } };
    const ev = event('delivery.attempt-start', {
      elapsed: 1250,
      due: '2025-06-15T18:02:57Z',
      nextRetry: 1750010600,
      text: 'plain "quoted"\nsecond line\ttab',
      contents: 'AAEC/w==',
      to: ['a@example.org', 'b@example.org'],
      code: null,
      tls: true,
      reason: nested,
      empty: { type: 'store.not-found', data: {} },
    });
    const f = Object.fromEntries(decode(encodeEntry(ev, 'stalwart')));
    expect(f).toMatchObject({
      ELAPSED: '1250',
      DUE: '1750010577',
      NEXTRETRY: '1750010600',
      TEXT: 'plain "quoted"\nsecond line\ttab',
      CONTENTS: 'AAEC/w==',
      TO: '[a@example.org, b@example.org]',
      CODE: '(null)',
      TLS: 'true',
      REASON: `{${eventInfo('store.not-found')!.description} (store.not-found): id = abc, elapsed = 7}`,
      EMPTY: `{${eventInfo('store.not-found')!.description} (store.not-found)}`,
    });
  });

  it('uses the identifier given and keeps multi-byte text intact', () => {
    const ev = event('smtp.ehlo', { domain: 'mx.exämple.org ✉' });
    const f = decode(encodeEntry(ev, 'mail-relay'));
    expect(f[1]).toEqual(['SYSLOG_IDENTIFIER', 'mail-relay']);
    expect(f[3]).toEqual(['DOMAIN', 'mx.exämple.org ✉']);
  });

  it('repairs key names journald would drop and counts them', () => {
    const stats = { renamedFields: 0 };
    const f = decode(encodeEntry(event('smtp.ehlo', { 'remote-ip': '1', _private: '2', '9lives': '3' }), 's', stats));
    expect(f.slice(3).map((x) => x[0])).toEqual(['REMOTE_IP', 'X_PRIVATE', 'X9LIVES']);
    expect(stats.renamedFields).toBe(3);
    expect(repairName('A'.repeat(80))).toHaveLength(64);
  });

  it('leaves a timestamp it cannot parse as written and renders lists of durations bare', () => {
    expect(displayValue('soon', 'timestamp')).toBe('soon');
    expect(displayValue([1, 2], 'duration')).toBe('[1, 2]');
    expect(displayValue([], undefined)).toBe('[]');
  });
});
