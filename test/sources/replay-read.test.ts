import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ColumnReader, ColumnWriter } from '../../src/format/event-columns.js';
import type { IncomingEvent } from '../../src/runtime/event.js';
import { readRecordLine } from '../../src/record/read.js';
import { ReplayLineReader } from '../../src/sources/replay-read.js';
import { SpanKeyFolder } from '../../src/sources/replay-spans.js';
import { LiveSpanFolder } from '../../src/sources/stalwart/live-spans.js';
import { mailFixture } from '../helpers/mail-fixture.js';

/**
 * Every line read the general way, as ReplayLineReader read them before plain events had their
 * own way: the record reader with the span folder's hook, then the live folder. The reference.
 */
function general(lines: string[]): { events: IncomingEvent[]; errors: [number, string][] } {
  const spans = new SpanKeyFolder();
  const live = new LiveSpanFolder();
  const events: IncomingEvent[] = [];
  const errors: [number, string][] = [];
  lines.forEach((raw, i) => {
    const line = i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === '') return;
    const r = readRecordLine(line, spans.keep);
    for (const ev of r.events) if (ev.spanId === undefined) live.fold(ev);
    events.push(...r.events.map((e) => structuredClone(e)));
    for (const reason of r.errors) errors.push([i + 1, reason]);
  });
  return { events, errors };
}

/** The same lines as the main-thread pass reads them (ReplayLineReader without a writer). */
function mainPass(lines: string[]): { events: IncomingEvent[]; errors: [number, string][] } {
  const reader = new ReplayLineReader();
  const events: IncomingEvent[] = [];
  const errors: [number, string][] = [];
  lines.forEach((line, i) => {
    if (!reader.read(line, i + 1)) return;
    events.push(...reader.parsed.events.map((e) => structuredClone(e)));
    for (const r of reader.parsed.errors) errors.push([i + 1, r]);
  });
  return { events, errors };
}

/** The same lines as the replay thread reads them (plain events straight into columns), decoded. */
function threaded(lines: string[]): { events: IncomingEvent[]; errors: [number, string][]; plain: number } {
  const reader = new ReplayLineReader();
  const writer = new ColumnWriter();
  const back = new ColumnReader();
  const events: IncomingEvent[] = [];
  const errors: [number, string][] = [];
  let plain = 0;
  lines.forEach((line, i) => {
    const before = writer.count;
    if (!reader.read(line, i + 1, writer)) return;
    if (writer.count > before) plain++;
    for (const r of reader.parsed.errors) errors.push([i + 1, r]);
    for (const ev of reader.parsed.events) writer.add(ev);
    if (writer.count >= 7) back.decode(structuredClone(writer.take().cols), events);
  });
  back.decode(structuredClone(writer.take().cols), events);
  return { events, errors, plain };
}

const defined = (ev: IncomingEvent) => Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined));

function same(lines: string[]): number {
  const a = general(lines);
  const b = threaded(lines);
  for (const c of [b, mainPass(lines)]) {
    expect(c.errors).toEqual(a.errors);
    expect(c.events.map(defined)).toEqual(a.events.map(defined));
    for (let i = 0; i < a.events.length; i++) expect(Object.keys(c.events[i]!.data)).toEqual(Object.keys(a.events[i]!.data));
  }
  return b.plain;
}

describe('replay lines read as plain events (straight into columns on the replay thread, or as events on the main thread) and the general way give the same events', () => {
  it('a generated capture of 20,000 events: spans folded the same, most lines plain', async () => {
    const lines = readFileSync(await mailFixture(20_000, 5), 'utf8').split('\n');
    const plain = same(lines);
    // The others hold nested values.
    expect(plain).toBeGreaterThan(19_000);
  });

  it('lines that are not plain, each read the general way, in order with the plain ones', () => {
    const big = '14513374255723034116';
    const lines = [
      '\ufeff{"createdAt":"2025-06-15T18:00:00Z","type":"smtp.connection-start","data":{"listenerId":"smtp","remoteIp":"192.0.2.1","spanId":' + big + '}}',
      '',
      '   ',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":' + big + ',"domain":"a.example","listenerId":"smtp","remoteIp":"192.0.2.1"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":' + big + ',"domain":"b\\"x","listenerId":"smtp","remoteIp":"192.0.2.1"}}',
      // The span id after the span's keys: it cannot stand after the keys that are kept.
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.rcpt-to","data":{"to":"x@example.org","listenerId":"smtp","remoteIp":"192.0.2.1","spanId":' + big + '}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":null,"domain":"c"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":-5,"domain":"c"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":99999999999999999999,"domain":"over 2^64"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":18446744073709551616,"domain":"2^64"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":18446744073709551615,"domain":"2^64 - 1"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"spanId":"00042","domain":"c"}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"to":["a","b"],"n":{"x":1}}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.rcpt-to","data":{"to":["a@example.org","b@example.org"],"n":[1,true,null]}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.rcpt-to","data":{"to":["a@example.org",{"x":1}]}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.rcpt-to","data":{"to":[12345678901234567890]}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"__proto__":1}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","data":{"size":123456789012345678901}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","text":"hi","level":"WARN","source":"n2","data":{}}',
      '{"createdAt":"2025-06-15T18:00:01Z","type":"smtp.ehlo","spanId":' + big + ',"data":{"domain":"top"}}',
      '{"createdAt":"not a time","type":"smtp.ehlo","data":{}}',
      '{"createdAt":5,"type":"smtp.ehlo","data":{}}',
      '{"type":"","data":{}}',
      '{"type":"smtp.ehlo","data":[1]}',
      '{"type":"smtp.ehlo"}',
      '{"type":"smtp.ehlo","data":{"a":1}',
      '[{"type":"smtp.ehlo","data":{"a":1}},{"type":"smtp.helo","data":{}}]',
      '{"events":[{"type":"smtp.ehlo","data":{"a":2}}]}',
      '{"createdAt":"2025-06-15T18:00:02Z","type":"queue.queue-message","ownKeys":1,"data":{"queueId":5,"from":"a@example.org"}}',
      // A live-trace span start without an id, then an event ending with its keys: the live folder's.
      '{"createdAt":"2025-06-15T18:00:03Z","type":"imap.connection-start","data":{"listenerId":"imap","remoteIp":"192.0.2.9"}}',
      '{"createdAt":"2025-06-15T18:00:03Z","type":"imap.noop","data":{"total":1,"listenerId":"imap","remoteIp":"192.0.2.9"}}',
      '{"createdAt":"2025-06-15T18:00:04Z","type":"smtp.connection-end","data":{"spanId":' + big + ',"listenerId":"smtp","remoteIp":"192.0.2.1","elapsed":5}}',
      '{"createdAt":"2025-06-15T18:00:05Z","type":"smtp.ehlo","data":{"spanId":' + big + ',"listenerId":"smtp"}}',
    ];
    const plain = same(lines);
    // The span's start, its first event, the one with its span id last, the one at 2^64 - 1, the
    // lists of plain values, the string span id, the one without data, and the span's end and the
    // event after it.
    expect(plain).toBe(9);
  });
});

describe('span ids kept by the replay folders', () => {
  it('do not keep the text they were read from: 64 open spans of 1 MiB lines hold well under 64 MiB', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pad = 'x'.repeat(1 << 20);
    const reader = new ReplayLineReader();
    const writer = new ColumnWriter();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 64; i++) {
      // A span start (its span id beyond 2^53, so read from the text) that never ends, on a long line.
      const line = `{"createdAt":"2025-06-15T18:00:00Z","type":"smtp.connection-start","data":{"listenerId":"smtp","spanId":${10n ** 19n + BigInt(i)}},"pad":"${pad}"}`;
      // Both ways a line is read: straight into columns (the replay thread) and the general way.
      reader.read(line, i + 1, i % 2 === 0 ? writer : undefined);
      writer.take();
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 2 ** 20);
  });
});
