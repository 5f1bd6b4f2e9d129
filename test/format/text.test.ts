import { describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import { formatLine } from '../../src/format/text.js';
import { parseEventsJson } from '../../src/format/json-parse.js';
import { rfc3339 } from '../../src/format/time.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';

const T = Date.UTC(2025, 5, 15, 18, 2, 57, 640); // 2025-06-15T18:02:57.640Z
const plain = { ansi: false, multiline: false };
const multi = { ansi: false, multiline: true };

function ev(type: string, data: EventData, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  const info = eventInfo(type);
  return { seq: 1, type, level: info?.level ?? 'info', createdAt: T, data, text: info?.description ?? type, ...extra };
}

const START = { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 };

describe('formatLine single-line', () => {
  it('prints the docs/stalwart.md §7 example exactly', () => {
    const e = ev('smtp.connection-start', { ...START, spanId: '9007199254740993' }, { level: 'info', spanId: '9007199254740993' });
    expect(formatLine(e, plain)).toBe(
      '2025-06-15T18:02:57Z INFO SMTP connection started (smtp.connection-start) listenerId = "smtp", localPort = 25, remoteIp = 192.0.2.1, remotePort = 40112\n',
    );
  });

  it('prints span keys first, keeps duplicates and never prints spanId', () => {
    const e = ev('smtp.mail-from', { spanId: '7', from: 'a@example.org', localPort: 2525 }, {
      spanId: '7',
      span: { spanId: '7', ...START },
    });
    expect(formatLine(e, plain)).toBe(
      '2025-06-15T18:02:57Z INFO SMTP MAIL FROM command (smtp.mail-from) listenerId = "smtp", localPort = 25, ' +
        'remoteIp = 192.0.2.1, remotePort = 40112, from = "a@example.org", localPort = 2525\n',
    );
  });

  it('ends a line without keys with Stalwart\'s trailing space', () => {
    expect(formatLine(ev('smtp.connection-end', {}), plain)).toBe('2025-06-15T18:02:57Z DEBUG SMTP connection ended (smtp.connection-end) \n');
    expect(formatLine(ev('smtp.connection-end', { spanId: '3' }), plain)).toBe(
      '2025-06-15T18:02:57Z DEBUG SMTP connection ended (smtp.connection-end) \n',
    );
  });

  it('renders every value kind', () => {
    const data: EventData = {
      reason: 'plain',
      size: 1024,
      code: -3,
      total: 1.25,
      elapsed: 15,
      expires: '2025-07-01T00:00:00Z',
      nextRetry: 1_750_000_000,
      localIp: '2001:db8::1',
      strict: true,
      tls: false,
      details: null,
      id: [1, 'x', null, true],
      causedBy: { type: 'store.data-corruption', data: { reason: 'bad', size: 3 } },
    };
    expect(formatLine(ev('queue.rate-limit-exceeded', data), plain)).toBe(
      '2025-06-15T18:02:57Z INFO Rate limit exceeded (queue.rate-limit-exceeded) reason = "plain", size = 1024, code = -3, ' +
        'total = 1.25, elapsed = 15ms, expires = 2025-07-01T00:00:00Z, nextRetry = 1750000000, localIp = 2001:db8::1, ' +
        'strict = true, tls = false, details = (null), id = [1, "x", (null), true], ' +
        'causedBy = Data corruption detected (store.data-corruption) { reason = "bad", size = 3 }\n',
    );
  });

  it('a number under a time-like key stays a number (Stalwart writes real timestamps as RFC3339 strings)', () => {
    const [parsed] = parseEventsJson('{"type":"purge.blob-cleanup","createdAt":"2025-06-15T18:02:57Z","data":{"expires":3,"total":10,"elapsed":12}}').events;
    const e = ev(parsed!.type, parsed!.data);
    expect(formatLine(e, plain)).toBe('2025-06-15T18:02:57Z INFO Blob storage cleanup completed (purge.blob-cleanup) expires = 3, total = 10, elapsed = 12ms\n');
    expect(formatLine(ev('queue.rate-limit-exceeded', { due: 0, nextRetry: 1_750_000_000, nextDsn: '2025-06-16T00:00:00Z', expires: 'soon' }), plain)).toBe(
      '2025-06-15T18:02:57Z INFO Rate limit exceeded (queue.rate-limit-exceeded) due = 0, nextRetry = 1750000000, nextDsn = 2025-06-16T00:00:00Z, expires = "soon"\n',
    );
  });

  it('escapes only \\r \\n \\t and backslash; a double quote stays as is (Stalwart v0.15)', () => {
    const line = formatLine(ev('auth.failed', { accountName: 'a"b\r\nc\td\\e\x1b' }), plain);
    expect(line).toBe('2025-06-15T18:02:57Z DEBUG Authentication failed (auth.failed) accountName = "a"b\\r\\nc\\td\\\\e\x1b"\n');
    expect(line.split('\n')).toHaveLength(2);
  });

  it('applies key kinds inside arrays and nested events, and renders an empty nested event bare', () => {
    const line = formatLine(
      ev('delivery.attempt-start', {
        remoteIp: ['192.0.2.1', '192.0.2.2'],
        elapsed: [5, 6],
        causedBy: { type: 'store.data-corruption', data: { elapsed: 9 } },
        reason: { type: 'tls.handshake', data: {} },
      }),
      plain,
    );
    expect(line).toBe(
      '2025-06-15T18:02:57Z INFO Delivery attempt started (delivery.attempt-start) remoteIp = [192.0.2.1, 192.0.2.2], ' +
        'elapsed = [5ms, 6ms], causedBy = Data corruption detected (store.data-corruption) { elapsed = 9ms }, ' +
        'reason = TLS handshake (tls.handshake)\n',
    );
  });

  it('uses the effective level, the given text, and survives bad values', () => {
    const e = ev('smtp.connection-start', { value: undefined as unknown as null, key: { a: 1 } as unknown as null }, {
      level: 'error',
      text: 'Custom text',
    });
    expect(formatLine(e, plain)).toBe(
      '2025-06-15T18:02:57Z ERROR Custom text (smtp.connection-start) value = (null), key = "{"a":1}"\n',
    );
    expect(formatLine(ev('x.unknown', { due: 1e300 }), plain)).toBe('2025-06-15T18:02:57Z INFO x.unknown (x.unknown) due = 1e+300\n');
  });

  it('caches per second without mixing neighbours', () => {
    const a = formatLine(ev('smtp.connection-end', {}, { createdAt: Date.UTC(2025, 11, 31, 23, 59, 59, 999) }), plain);
    const b = formatLine(ev('smtp.connection-end', {}, { createdAt: Date.UTC(2026, 0, 1, 0, 0, 0, 0) }), plain);
    expect(a.slice(0, 21)).toBe('2025-12-31T23:59:59Z ');
    expect(b.slice(0, 21)).toBe('2026-01-01T00:00:00Z ');
    expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
  });
});

describe('formatLine ANSI', () => {
  it('colours timestamp, level, description and key names, each followed by a reset', () => {
    const e = ev('smtp.mail-from', { from: 'a', size: 1 }, { span: { listenerId: 'smtp' } });
    expect(formatLine(e, { ansi: true, multiline: false })).toBe(
      '\x1b[37m2025-06-15T18:02:57Z\x1b[0m \x1b[32;1mINFO\x1b[0m \x1b[37;1mSMTP MAIL FROM command\x1b[0m (smtp.mail-from) ' +
        '\x1b[36mlistenerId\x1b[0m = "smtp", \x1b[36mfrom\x1b[0m = "a", \x1b[36msize\x1b[0m = 1\n',
    );
  });

  it('uses the bold colour of each level', () => {
    const codes = { error: '31', warn: '33', info: '32', debug: '34', trace: '35' } as const;
    for (const [level, code] of Object.entries(codes)) {
      const line = formatLine(ev('smtp.connection-end', {}, { level: level as keyof typeof codes }), { ansi: true, multiline: false });
      expect(line).toContain(` \x1b[${code};1m${level.toUpperCase()}\x1b[0m `);
    }
  });
});

describe('formatLine multiline', () => {
  it('puts each key on its own tab-indented line, nested event keys one level deeper', () => {
    const e = ev('smtp.mail-from', {
      spanId: '7',
      from: 'a@example.org',
      causedBy: { type: 'store.data-corruption', data: { reason: 'bad', causedBy: { type: 'tls.handshake', data: { elapsed: 4 } } } },
      size: 10,
    }, { span: { spanId: '7', listenerId: 'smtp' } });
    expect(formatLine(e, multi)).toBe(
      '2025-06-15T18:02:57Z INFO SMTP MAIL FROM command (smtp.mail-from)\n' +
        '\tlistenerId = "smtp"\n' +
        '\tfrom = "a@example.org"\n' +
        '\tcausedBy = Data corruption detected (store.data-corruption)\n' +
        '\t\treason = "bad"\n' +
        '\t\tcausedBy = TLS handshake (tls.handshake)\n' +
        '\t\t\telapsed = 4ms\n' +
        '\tsize = 10\n',
    );
  });

  it('prints only the header line for an event without keys, and colours key names', () => {
    expect(formatLine(ev('smtp.connection-end', {}), multi)).toBe('2025-06-15T18:02:57Z DEBUG SMTP connection ended (smtp.connection-end)\n');
    expect(formatLine(ev('tls.handshake', { tls: true }), { ansi: true, multiline: true })).toBe(
      '\x1b[37m2025-06-15T18:02:57Z\x1b[0m \x1b[32;1mINFO\x1b[0m \x1b[37;1mTLS handshake\x1b[0m (tls.handshake)\n' +
        '\t\x1b[36mtls\x1b[0m = true\n',
    );
  });
});
