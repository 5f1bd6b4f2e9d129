import { describe, expect, it } from 'vitest';
import { parseEventsJson, parseEventsValue, protectBigIntegers } from '../../src/format/json.js';

/** The former one-pass character scan, kept as the reference the fast version must match. */
function reference(text: string): string {
  const n = text.length;
  let out = '';
  let last = 0;
  let i = 0;
  const escaped = (q: number) => {
    let k = 0;
    for (let j = q - 1; text.charCodeAt(j) === 92; j--) k++;
    return k % 2 === 1;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && escaped(j)) j = text.indexOf('"', j + 1);
      if (j === -1) return text;
      i = j + 1;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) continue;
        if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) integer = false;
        else break;
      }
      if (integer && j - i >= 16) {
        const token = text.slice(i, j);
        if (!Number.isSafeInteger(Number(token))) {
          out += text.slice(last, i) + '"' + token + '"';
          last = j;
        }
      }
      i = j;
    } else i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Deterministic pseudo-random JSON texts full of long digit runs, in and out of strings. */
function* samples(count: number): Generator<string> {
  let seed = 12345;
  const rnd = (k: number) => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % k;
  };
  const digits = () => {
    let s = String(1 + rnd(9));
    const len = rnd(24);
    for (let i = 0; i < len; i++) s += String(rnd(10));
    return s;
  };
  const value = (depth: number): string => {
    switch (rnd(depth > 2 ? 6 : 8)) {
      case 0:
        return digits();
      case 1:
        return '-' + digits();
      case 2:
        return digits() + '.' + digits();
      case 3:
        return digits() + (rnd(2) ? 'e' : 'E') + (rnd(2) ? '-' : '+') + digits();
      case 4:
        switch (rnd(3)) {
          case 0:
            return JSON.stringify('x' + digits() + (rnd(2) ? '\\"' : '"') + ':' + digits() + ',\\' + digits());
          case 1:
            return JSON.stringify((rnd(2) ? '"k' : 'a \\"k') + digits() + '":' + (rnd(2) ? ' ' : '') + digits());
          default:
            // a string that starts with a colon: `"k":":123…"` must not pass for a key
            return JSON.stringify(':' + (rnd(2) ? ' ' : '') + digits());
        }
      case 5:
        return rnd(2) ? 'true' : 'null';
      case 6:
        return '[' + Array.from({ length: rnd(4) }, () => value(depth + 1)).join(',') + ']';
      default:
        return '{' + Array.from({ length: rnd(4) }, (_, i) => `"k${i}${digits()}":${rnd(2) ? ' ' : ''}${value(depth + 1)}`).join(',') + '}';
    }
  };
  for (let i = 0; i < count; i++) yield value(0);
}

describe('protectBigIntegers (fast path)', () => {
  it('rewrites exactly as the character scan did, on 20,000 generated texts', () => {
    let rewritten = 0;
    let quotedRuns = 0;
    for (const text of samples(20_000)) {
      const fast = protectBigIntegers(text);
      expect(fast).toBe(reference(text));
      if (fast !== text) rewritten++;
      if (/"[^"]*\d{16}/.test(text)) quotedRuns++;
    }
    expect(rewritten).toBeGreaterThan(1000);
    expect(quotedRuns).toBeGreaterThan(1000);
  });

  it('returns a line without 16 digits in a row as the same string', () => {
    const line = '{"type":"smtp.ehlo","data":{"spanId":123456789012345,"domain":"mx.example.org"}}';
    expect(protectBigIntegers(line)).toBe(line);
  });

  it('reports invalid JSON about the line as given, not as rewritten', () => {
    const line = '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,}}';
    let expected = '';
    try {
      JSON.parse(line);
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(parseEventsJson(line).errors).toEqual([`invalid JSON: ${expected}`]);
  });
});

describe('parseEventsJson (parse as is, then put the big integers back)', () => {
  const asBefore = (t: string) => {
    try {
      return parseEventsValue(JSON.parse(protectBigIntegers(t)));
    } catch {
      return 'invalid';
    }
  };
  const now = (t: string) => {
    const r = parseEventsJson(t);
    return r.errors.length === 1 && r.errors[0]!.startsWith('invalid JSON') ? 'invalid' : r;
  };
  it('reads what the rewritten text reads, on 20,000 generated texts as events', () => {
    let big = 0;
    for (const text of samples(20_000)) {
      for (const t of [`{"type":"a.b","data":{"k":${text},"n":${text}}}`, `{"type":"a.b","data":{"spanId":${text}},"spanId":${text}}`, `{"type":"a.b","spanId":${text}}`]) {
        expect(now(t)).toEqual(asBefore(t));
        if (protectBigIntegers(t) !== t) big++;
      }
    }
    expect(big).toBeGreaterThan(3000);
  });

  it('puts back the exact digits of a span id and a queue id', () => {
    const line = '{"id":"1","type":"queue.queue-message","data":{"spanId":15320313440664602043,"queueId":18446744073709551615,"size":3}}';
    expect(parseEventsJson(line).events[0]).toMatchObject({ spanId: '15320313440664602043', data: { queueId: '18446744073709551615', size: 3 } });
  });

  it('leaves a key spelled with escapes, a fraction, a repeated key and a big integer nested to the rewrite', () => {
    const U = '18446744073709551615';
    for (const line of [
      `{"type":"a","spanId":${U},"data":{"spanId":${U.slice(0, -1)}4}}`,
      `{"type":"a","spanId":${U},"data":{"spanId":1.8446744073709552e19}}`,
      `{"type":"a","data":{"spanI\u0064":1.8446744073709552e19,"n":{"type":"b","data":{"spanId":${U}}}}}`,
      `{"type":"a","data":{"spanId":1.8446744073709552e19,"n":{"type":"b","data":{"spanId":${U}}}}}`,
      `{"type":"a","data":{"list":[${U}],"spanId":${U}}}`,
      `{"type":"a","data":{"k":${U},"x":{"k":${U.slice(0, -1)}4}}}`,
      `{"type":"a","data":{"__proto__":${U}}}`,
      `{"type":"a","data":{"spanId":-${U}}}`,
      `{"type":"a","data":{"n":0${U}}}`,
      `{"type":"a","data":{"n":"k","k":${U}}}`,
    ]) {
      expect(now(line)).toEqual(asBefore(line));
    }
  });
});

describe('parseEventsJson (span id without rewriting the line)', () => {
  const U = '18446744073709551615';
  const lines = [
    `{"type":"smtp.ehlo","data":{"spanId":${U},"domain":"mx"}}`,
    `{"type":"smtp.ehlo","data":{"domain":"mx","spanId" : ${U}}}`,
    `{"type":"smtp.ehlo","spanId":${U},"data":{"domain":"mx"}}`,
    `{"type":"smtp.ehlo","spanId":${U}}`,
    `{"type":"smtp.ehlo","data":{"spanId":9007199254740993,"n":12345678901234567890}}`,
    `{"type":"smtp.ehlo","data":{"spanId":9007199254740991,"domain":"mx"}}`,
    `{"type":"smtp.ehlo","data":{"spanId":1234567890123456,"x":"${U}"}}`,
    `{"type":"smtp.ehlo","data":{"spanId":${U},"x":"\\"spanId\\":1"}}`,
    `{"type":"smtp.ehlo","data":{"spanId":${U},"err":{"type":"x.y","data":{"spanId":7}}}}`,
    `{"type":"smtp.ehlo","data":{"err":{"type":"x.y","data":{"spanId":${U}}}}}`,
    `{"type":"smtp.ehlo","data":{"spanId":-${U}}}`,
    `{"type":"smtp.ehlo","data":{"spanId":1e19,"err":{"type":"x.y","data":{"spanId":${U}}}}}`,
    `{"type":"smtp.ehlo","data":{"spanId":1.8446744073709552e19,"err":{"type":"x.y","data":{"spanId":${U}}}}}`,
    `{"type":"smtp.ehlo","data":{"spanId":${U}0}}`,
    `{"type":"smtp.ehlo","data":{"spanId":1.8446744073709551615e19}}`,
    `{"type":"smtp.ehlo","data":{"spanId":[${U}]}}`,
    `{"events":[{"type":"smtp.ehlo","data":{"spanId":${U}}}]}`,
    `[{"type":"smtp.ehlo","data":{"spanId":${U}}},{"type":"smtp.ehlo","data":{"spanId":${U}}}]`,
    `{"type":"smtp.ehlo","data":{"spanId":${U},}}`,
  ];
  it.each(lines)('reads %s as the rewritten line reads', (line) => {
    let expected: unknown;
    try {
      expected = parseEventsValue(JSON.parse(protectBigIntegers(line)));
    } catch {
      expected = { events: [], errors: [expect.stringMatching(/^invalid JSON: /)] };
    }
    expect(parseEventsJson(line)).toEqual(expected);
  });
});
