import { describe, expect, it } from 'vitest';
import { formatLine, LineBuffer, writeLine } from '../../src/format/text.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';

const T = Date.UTC(2025, 5, 15, 18, 2, 57, 640);
const plain = { ansi: false, multiline: false };

function ev(data: EventData): TelemetryEvent {
  return { seq: 1, type: 'x.y', level: 'info', createdAt: T, data, text: 'X' };
}

/** The bytes the log sink writes, read back as UTF-8 the way a reader of the file would. */
function bytes(e: TelemetryEvent): Buffer {
  const out = new LineBuffer(8); // tiny: every line makes it grow
  writeLine(e, plain, out);
  writeLine(e, plain, out);
  return out.bytes.subarray(0, out.length);
}

describe('the log line as bytes', () => {
  it('encodes every character as Buffer.from does (2-, 3-, 4-byte, lone surrogates) and escapes only \\r \\n \\t \\\\', () => {
    const s = 'a"b\\c\nd\re\tf é ẞ € 😀 \ud800 x \udc00 \u0000\u007f\u0080\u07ff\u0800\uffff';
    const e = ev({ reason: s, details: [s, 1], causedBy: { type: 'store.data-corruption', data: { reason: s } } });
    const line = formatLine(e, plain);
    expect(bytes(e)).toEqual(Buffer.from(line + line, 'utf8'));
    // As bytes a lone surrogate is U+FFFD (what writing the string to a file gave before).
    const quoted = '"a"b\\\\c\\nd\\re\\tf é ẞ € 😀 \ufffd x \ufffd \u0000\u007f\u0080\u07ff\u0800\uffff"';
    expect(line).toBe(`2025-06-15T18:02:57Z INFO X (x.y) reason = ${quoted}, details = [${quoted}, 1], causedBy = Data corruption detected (store.data-corruption) { reason = ${quoted} }\n`);
  });

  it('writes numbers as String() does', () => {
    const nums = [0, -0, 7, 10, 99, 100, 12345, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e15 - 1, 1e15, 1e21, -1, -(2 ** 40), 0.5, -1.25, 1e-7, 123.456];
    const data: EventData = {};
    nums.forEach((n, i) => (data[`n${i}`] = n));
    const line = formatLine(ev(data), plain);
    expect(line).toBe(`2025-06-15T18:02:57Z INFO X (x.y) ${nums.map((n, i) => `n${i} = ${String(n)}`).join(', ')}\n`);
    expect(bytes(ev(data))).toEqual(Buffer.from(line + line, 'utf8'));
  });
});

describe('span keys written once per span', () => {
  it('prints the same span keys for every event of a span, plain and ANSI, and none for an empty span', () => {
    const span: EventData = { listenerId: 'smtp', remoteIp: '192.0.2.1', to: ['a@x', 'b@x'] };
    const one = { ...ev({ from: 'a@x' }), span };
    const two = { ...ev({}), span, createdAt: T + 5000 };
    const ansi = { ansi: true, multiline: false };
    const first = [formatLine(one, plain), formatLine(two, plain), formatLine(one, ansi)];
    // Again, now from the cached bytes.
    expect([formatLine(one, plain), formatLine(two, plain), formatLine(one, ansi)]).toEqual(first);
    expect(first[0]).toBe('2025-06-15T18:02:57Z INFO X (x.y) listenerId = "smtp", remoteIp = 192.0.2.1, to = ["a@x", "b@x"], from = "a@x"\n');
    expect(first[1]).toBe('2025-06-15T18:03:02Z INFO X (x.y) listenerId = "smtp", remoteIp = 192.0.2.1, to = ["a@x", "b@x"]\n');
    expect(first[2]).toContain('192.0.2.1');
    const empty = { ...ev({ from: 'a@x' }), span: {} };
    expect(formatLine(empty, plain)).toBe('2025-06-15T18:02:57Z INFO X (x.y) from = "a@x"\n');
    expect(formatLine(empty, plain)).toBe('2025-06-15T18:02:57Z INFO X (x.y) from = "a@x"\n');
  });
});
