import { describe, expect, it } from 'vitest';
import { encodeWebhookEvent } from '../../../src/format/json-encode.js';
import { Collector } from '../../../src/runtime/collector.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { encodeWebhookEvent015 } from '../../../src/sinks/webhook/fast-encode.js';
import { DemoGenerator } from '../../../src/sources/demo-generator.js';
import { stampTimes } from '../../../src/sources/demo-mail.js';

/** Demo traffic stamped by a real collector: span ids, span keys and their places as sinks see them. */
function traffic(n: number): TelemetryEvent[] {
  const gen = new DemoGenerator(11);
  let t = Date.parse('2026-12-07T10:00:00Z');
  const collector = new Collector(new Map(), 0, () => t);
  const out: TelemetryEvent[] = [];
  collector.observe((ev) => out.push(ev));
  for (let i = 0; i < n; i++) {
    t += 7;
    const ev = gen.next();
    stampTimes(ev, t);
    collector.ingest(ev);
  }
  return out;
}

const base = { seq: 1, level: 'info' as const, createdAt: 1750010577123, text: '' };

describe('the webhook fast encoder', () => {
  it('writes the shared encoder’s bytes for 20,000 events of demo traffic', () => {
    const events = traffic(20_000);
    expect(events.filter((e) => e.spanId !== undefined && e.span).length).toBeGreaterThan(1000);
    for (const ev of events) expect(encodeWebhookEvent015(ev)).toBe(encodeWebhookEvent(ev, '0.15'));
  });

  it('writes the shared encoder’s bytes for every edge the shortcut hands back or splices', () => {
    const cases: TelemetryEvent[] = [
      { ...base, type: 'auth.success', data: {} },
      { ...base, type: 'auth.success', data: { a: undefined as never } },
      { ...base, type: 'auth.success', data: { a: null, b: 'x' } },
      { ...base, type: 'auth.success', data: { list: [1, 'a', null, true], n: -0, f: 1.5, big: 1e21, nan: NaN } },
      { ...base, type: 'auth.success', data: { nested: { type: 'x.y', data: { a: 1, b: null } } } },
      { ...base, type: 'auth.success', data: { list: [{ type: 'x.y', data: {} }] } },
      { ...base, type: 'auth.success', data: { 'quo"te': 'żółw € \u0001 \ud800 😀', '2': 'int-like key', z: 'last' } },
      { ...base, type: 'delivery.attempt-start', data: { a: 1, b: 2 }, spanId: '18446744073709551615' },
      { ...base, type: 'delivery.attempt-start', data: { a: 1, b: 2 }, spanId: '12', spanAt: 0 },
      { ...base, type: 'delivery.attempt-start', data: { a: 1, b: 2 }, spanId: '12', spanAt: 1 },
      { ...base, type: 'delivery.connect', data: { a: 1, b: 2 }, spanId: '12' },
      { ...base, type: 'delivery.connect', data: { a: 1, b: 2 }, spanId: '12', spanAt: 2 },
      { ...base, type: 'delivery.connect', data: {}, spanId: '12', span: { spanId: 3, a: 9, c: 'c', d: null } },
      { ...base, type: 'delivery.connect', data: { a: undefined as never }, spanId: '12', span: { a: 9 } },
      { ...base, type: 'delivery.connect', data: { spanId: 5, a: 1 }, spanId: '12' },
      { ...base, type: 'delivery.connect', data: { a: 1 }, spanId: 'not-digits' },
      { ...base, type: 'delivery.connect', data: { a: 1 }, span: { a: 2, b: [1, { type: 'k.v', data: { z: null } }] } },
      { ...base, type: 'delivery.connect', data: { spanId: 7 }, span: { spanId: 8, q: 1 } },
      { ...base, type: 'no.such-event', data: { a: 1 } },
      { ...base, type: 'auth.success', createdAt: NaN, data: { a: 1 } },
      { ...base, type: 'auth.success', createdAt: 1750010578999, data: { a: 1 } },
      { ...base, type: 'auth.success', createdAt: -1500, data: { a: 1 } },
      // The key cache per type and position: the same type with other keys, fewer, more, reordered.
      { ...base, type: 'auth.success', data: { b: 1, a: 2, c: 3 } },
      { ...base, type: 'auth.success', data: { a: 'x' } },
      { ...base, type: 'auth.success', data: { c: 1, b: null, a: undefined as never, d: false } },
      // Null own keys: left out, and the span's value for that key is written instead.
      { ...base, type: 'delivery.connect', data: { a: null, b: 1 }, spanId: '12', spanAt: 1, span: { a: 5, b: 6, toString: 'x' } },
      { ...base, type: 'delivery.connect', data: { a: null }, spanId: '12', spanAt: 0 },
      { ...base, type: 'delivery.connect', data: { spanId: null, a: 1 }, span: { spanId: 4 } },
      { ...base, type: 'delivery.connect', data: { a: 1, spanId: 9 }, spanId: '12', spanAt: 1, span: { spanId: 1 } },
      { ...base, type: 'delivery.connect', data: {}, span: { a: [undefined as never, NaN, 'q"'], b: 'tab\t' } },
      { ...base, type: 'delivery.connect', data: { s: '\ud83d\ude00 ok', t: 'a\\b', u: '\u007f', v: '\u2028' } },
      { ...base, type: 'delivery.connect', data: { a: 1 }, spanId: '' },
      { ...base, type: 'delivery.connect', data: { a: 1 }, spanId: '123456789012345678901' },
    ];
    for (const ev of cases) expect(encodeWebhookEvent015(ev), JSON.stringify(ev.data)).toBe(encodeWebhookEvent(ev, '0.15'));
  });
});
