import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColumnReader, ColumnWriter } from '../../src/format/event-columns.js';
import { formatLine } from '../../src/format/text.js';
import { readRecordLine } from '../../src/record/read.js';
import { Collector } from '../../src/runtime/collector.js';
import type { IncomingEvent } from '../../src/runtime/event.js';
import { SpanKeyFolder } from '../../src/sources/replay-spans.js';
import { mailFixture } from '../helpers/mail-fixture.js';

/** Encodes `events` in batches of `size` as the replay thread does, and decodes them as the main thread does. */
function roundTrip(events: IncomingEvent[], size = 1024): IncomingEvent[] {
  const writer = new ColumnWriter();
  const reader = new ColumnReader();
  const out: IncomingEvent[] = [];
  for (let i = 0; i < events.length; i += size) {
    const { cols, transfer } = writer.encode(events.slice(i, i + size));
    // The buffers go over by transfer: a copy of the message is what the main thread gets.
    reader.decode(structuredClone(cols, { transfer }), out);
  }
  return out;
}

/** Events as the collector sees them: fields that are undefined left out. */
function plain(ev: IncomingEvent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined));
}

function lines(events: IncomingEvent[]): string {
  const c = new Collector(new Map(), 0, () => 0);
  let out = '';
  c.observe((ev) => (out += formatLine(ev, { ansi: false, multiline: false })));
  for (const ev of events) c.ingest(ev);
  return out;
}

describe('events handed over in columns (replay thread -> main thread)', () => {
  it('come back equal, keys in order, and log the same bytes: 20,000 generated events', async () => {
    const path = await mailFixture(20_000, 11);
    const folder = new SpanKeyFolder();
    const events = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .flatMap((l) => readRecordLine(l, folder.keep).events);
    expect(events).toHaveLength(20_000);
    const back = roundTrip(events);
    expect(back.map(plain)).toEqual(events.map(plain));
    for (let i = 0; i < events.length; i++) expect(Object.keys(back[i]!.data)).toEqual(Object.keys(events[i]!.data));
    const text = lines(events);
    expect(text.split('\n')).toHaveLength(20_001);
    expect(lines(back)).toBe(text);
  });

  it('keep every kind of value, rare fields and odd key names', () => {
    const events: IncomingEvent[] = [
      { type: 'smtp.ehlo', createdAt: 1750010400000, data: { domain: 'mx.example.org', port: 25, tls: true, auth: false, none: null }, spanId: '18446744073709551615', spanAt: 1 },
      { type: 'smtp.ehlo', createdAt: 1750010401000, data: { domain: 'é€😀 "quoted" \\ \n', port: -1.5e-7, tls: false, auth: true, none: null } },
      { type: 'delivery.attempt-start', data: { to: ['a@example.org', 'b@example.org'], nested: { type: 'smtp.error', data: { code: 550 } }, big: '123456789012345678901' } },
      { type: 'x.unknown', data: { '2': 'two', '10': 'ten', 'a b': 1, constructor: 'c', '': 'empty' }, text: 'from the server', level: 'warn', source: 'node2' },
      { type: 'queue.queue-message', data: { queueId: 5 }, span: { from: 'a@example.org' } },
      { type: 'imap.noop', data: {} },
    ];
    const back = roundTrip(events, 4);
    expect(back.map(plain)).toEqual(events.map(plain));
    expect(Object.keys(back[3]!.data)).toEqual(Object.keys(events[3]!.data));
  });

  it('past 10,000 shapes, send events as they are', () => {
    const events: IncomingEvent[] = [];
    for (let i = 0; i < 10_050; i++) events.push({ type: 'x.made-up', data: { [`k${i}`]: i } });
    const back = roundTrip(events, 512);
    expect(back.map(plain)).toEqual(events.map(plain));
  });
});
